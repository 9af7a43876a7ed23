/**
 * The few DOM helpers the customer's page is drawn with (no framework: the page has one
 * button before the call and a handful after). `h` makes an element; `setText`/`setAttr`
 * write only what changed, so a view can re-apply its whole state on every store change
 * or language switch; `Keyed` keeps a parent's children to a keyed list, creating,
 * keeping (and updating) and destroying parts as the list changes.
 */

export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue>;
type ChildNode = Node | string | null | undefined | false;

/** An element with attributes (`class` included; null/false/undefined leave one out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: ChildNode[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) setAttr(el, k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Set (string/number, true as ''), or remove (null/undefined/false) an attribute, only if it changes. */
export function setAttr(el: Element, name: string, value: AttrValue): void {
  if (value === null || value === undefined || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
    return;
  }
  const s = value === true ? '' : String(value);
  if (el.getAttribute(name) !== s) el.setAttribute(name, s);
}

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) setAttr(el, k, v);
}

export function setText(el: Node, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** A piece of a view: its root node, how it re-applies state, and what it releases when it goes. */
export interface Part {
  readonly el: Node;
  update?(): void;
  destroy?(): void;
}

/** A part that is one fixed element, re-applied by `update` (called once at creation too). */
export function part<E extends Node>(el: E, update?: (el: E) => void, destroy?: () => void): Part {
  const p: Part = { el, ...(update ? { update: () => update(el) } : {}), ...(destroy ? { destroy } : {}) };
  p.update?.();
  return p;
}

/** One entry of a keyed list: a stable key and how to make its part the first time. */
export interface Child {
  key: string;
  make(): Part;
}

/**
 * Keeps all of `parent`'s children equal to a keyed list, in order. A key that stays keeps
 * its part (its DOM node, and with it a playing <video> or a half-typed comment) and
 * updates it; a key that goes destroys its part; a new key makes one.
 */
export class Keyed {
  private parts = new Map<string, Part>();

  constructor(readonly parent: Node) {}

  render(list: ReadonlyArray<Child | null | false | undefined>): void {
    const next = new Map<string, Part>();
    const made = new Set<string>();
    for (const c of list) {
      if (!c || next.has(c.key)) continue;
      let p = this.parts.get(c.key);
      if (!p) { p = c.make(); made.add(c.key); }
      next.set(c.key, p);
    }
    for (const [k, p] of this.parts) {
      if (next.has(k)) continue;
      p.destroy?.();
      p.el.parentNode?.removeChild(p.el);
    }
    let prev: Node | null = null;
    for (const p of next.values()) {
      const want: Node | null = prev ? prev.nextSibling : this.parent.firstChild;
      if (p.el !== want) this.parent.insertBefore(p.el, want);
      prev = p.el;
    }
    this.parts = next;
    for (const [k, p] of next) if (!made.has(k)) p.update?.();
  }

  /** The part shown under `key`, if any. */
  get(key: string): Part | undefined { return this.parts.get(key); }

  clear(): void { this.render([]); }
}

/** A Child whose part is made by `make` (shorthand for list literals). */
export function child(key: string, make: () => Part): Child {
  return { key, make };
}
