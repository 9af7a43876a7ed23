/**
 * An imperative Konva scene bound to an AnnotationDoc: one layer for the
 * frozen still, one for shapes (reconciled by object identity: the model
 * replaces a shape object on every write, so unchanged shapes are never
 * rebuilt), one for effects that animate (laser fade, tap pulses, selection).
 * Both the agent stage and the customer overlay are this class; React only
 * hosts its container.
 */
import Konva from 'konva';
import { contentRect, toScreen, unitPx, type ContentRect, type Viewport } from '../model/coords';
import type { AnnotationDoc } from '../model/doc';
import type { Shape } from '../model/types';
import { buildNode } from './nodes';

export interface SceneOptions {
  interactive: boolean;
  /** Called after the shapes layer has been drawn, with shapes (id, version) drawn for the first time at that version. */
  onDrawn?: (drawn: Array<{ id: string; v: number }>, at: number) => void;
}

interface Pulse { x: number; y: number; t0: number; color: string; ring: Konva.Circle; dot: Konva.Circle }

/** Long enough to catch the eye of an agent looking elsewhere on the screen. */
const PULSE_MS = 2400;

export class AnnotationScene {
  readonly stage: Konva.Stage;
  private readonly backdrop = new Konva.Layer({ listening: false });
  private readonly layer: Konva.Layer;
  private readonly fx = new Konva.Layer({ listening: false });
  private readonly nodes = new Map<string, { shape: Shape; node: Konva.Group | Konva.Shape }>();
  private readonly lasers = new Map<string, { shape: Shape; node: Konva.Line }>();
  private readonly pulses: Pulse[] = [];
  private readonly selection = new Konva.Rect({ stroke: '#1e90ff', dash: [6, 4], strokeWidth: 1.5, visible: false, listening: false });
  private still: Konva.Image | null = null;
  private stillSource: CanvasImageSource | null = null;
  private vp: Viewport;
  private rect: ContentRect;
  private selected: string | null = null;
  private pendingDrawn: Array<{ id: string; v: number }> = [];
  private readonly anim: Konva.Animation;
  private readonly unsub: () => void;

  constructor(container: HTMLDivElement, readonly doc: AnnotationDoc, vp: Viewport, private readonly o: SceneOptions) {
    this.vp = vp;
    this.rect = contentRect(vp);
    this.stage = new Konva.Stage({ container, width: Math.max(1, vp.boxW), height: Math.max(1, vp.boxH) });
    container.style.overflow = 'hidden';
    this.layer = new Konva.Layer({ listening: o.interactive });
    this.stage.add(this.backdrop, this.layer, this.fx);
    this.fx.add(this.selection);
    this.layer.on('draw', () => {
      if (!this.pendingDrawn.length) return;
      const drawn = this.pendingDrawn;
      this.pendingDrawn = [];
      this.o.onDrawn?.(drawn, performance.timeOrigin + performance.now());
    });
    this.anim = new Konva.Animation(() => this.tick(), this.fx);
    this.unsub = doc.subscribe(() => this.sync());
    this.sync();
  }

  get viewport(): Viewport { return this.vp; }
  get content(): ContentRect { return this.rect; }

  setViewport(vp: Viewport): void {
    const same = (Object.keys(vp) as Array<keyof Viewport>).every((k) => vp[k] === this.vp[k]) &&
      (Object.keys(this.vp) as Array<keyof Viewport>).every((k) => vp[k] === this.vp[k]);
    if (same) return;
    this.vp = vp;
    this.rect = contentRect(vp);
    // The canvases only grow: reallocating six of them (three layers, each with a hit canvas) took
    // 60-750 ms of the main thread on a loaded 2-core machine, and a notice that shrinks the video
    // box by a line (a colleague joining) would pay it mid-hand-off. A larger stage is clipped by
    // the container; everything is placed in box coordinates from its top-left corner.
    const w = Math.max(1, vp.boxW), h = Math.max(1, vp.boxH);
    if (w > this.stage.width() || h > this.stage.height()) this.stage.size({ width: Math.max(w, this.stage.width()), height: Math.max(h, this.stage.height()) });
    // Geometry is in frame space, so a new viewport means every node is rebuilt.
    for (const { node } of this.nodes.values()) node.destroy();
    this.nodes.clear();
    for (const { node } of this.lasers.values()) node.destroy();
    this.lasers.clear();
    this.placeStill();
    this.sync();
  }

  /** Show a still (freeze frame) under the marks, or go back to live (null). */
  setStill(img: CanvasImageSource | null): void {
    this.stillSource = img;
    this.placeStill();
  }

  get hasStill(): boolean { return !!this.stillSource; }

  select(id: string | null): void {
    this.selected = id;
    this.updateSelection();
    this.fx.batchDraw();
  }

  /** The model shape under a stage point (agent hit testing). */
  shapeAt(x: number, y: number): string | null {
    const hit = this.stage.getIntersection({ x, y });
    let n: Konva.Node | null = hit;
    while (n && n !== this.layer) {
      if (n.name() === 'annotation' && this.nodes.has(n.id())) return n.id();
      n = n.getParent();
    }
    return null;
  }

  /** A pulse where the other side pointed (normalised frame coordinates). */
  pulse(x: number, y: number, color = '#ffcc00'): void {
    const p = toScreen({ x, y }, this.vp, this.rect);
    const ring = new Konva.Circle({ x: p.x, y: p.y, radius: 8, stroke: color, strokeWidth: 4, listening: false, name: 'pulse' });
    const dot = new Konva.Circle({ x: p.x, y: p.y, radius: 7, fill: color, stroke: '#000000', strokeWidth: 1, listening: false, name: 'pulse-dot' });
    this.fx.add(ring, dot);
    this.pulses.push({ x, y, t0: performance.now(), color, ring, dot });
    this.ensureAnim();
  }

  /** Current pulses (for tests/diagnostics). */
  pulseCount(): number { return this.pulses.length; }

  destroy(): void {
    this.unsub();
    this.anim.stop();
    this.stage.destroy();
  }

  // ---- internals --------------------------------------------------------------

  private placeStill(): void {
    if (!this.stillSource) {
      this.still?.destroy();
      this.still = null;
      this.backdrop.batchDraw();
      return;
    }
    if (!this.still) { this.still = new Konva.Image({ image: undefined, listening: false }); this.backdrop.add(this.still); }
    const r = this.rect;
    const rot = this.vp.rotation ?? 0;
    const quarter = rot === 90 || rot === 270;
    const w = quarter ? r.h : r.w, h = quarter ? r.w : r.h;
    // Konva scales before it rotates; mirroring after rotation = rotating the other way, then flipping.
    this.still.setAttrs({
      image: this.stillSource, width: w, height: h, offsetX: w / 2, offsetY: h / 2,
      x: r.x + r.w / 2, y: r.y + r.h / 2, rotation: this.vp.mirrored ? -rot : rot, scaleX: this.vp.mirrored ? -1 : 1,
    });
    this.backdrop.batchDraw();
  }

  private sync(): void {
    const shapes = this.doc.shapes();
    const seen = new Set<string>();
    let created = false;
    for (const s of shapes) {
      seen.add(s.id);
      const cur = this.nodes.get(s.id);
      if (cur && cur.shape === s) continue;
      const node = buildNode(s, this.vp, this.rect, { interactive: this.o.interactive });
      if (cur) {
        const z = cur.node.zIndex();
        cur.node.destroy();
        this.layer.add(node);
        node.zIndex(Math.min(z, this.layer.children.length - 1));
      } else {
        this.layer.add(node);
        created = true;
      }
      this.nodes.set(s.id, { shape: s, node });
      this.pendingDrawn.push({ id: s.id, v: s.v });
    }
    for (const [id, { node }] of this.nodes) if (!seen.has(id)) { node.destroy(); this.nodes.delete(id); }
    if (created) {
      // Shapes from other authors (or an undo) can land below the top: restore model order.
      let i = 0;
      for (const s of shapes) { const n = this.nodes.get(s.id)!.node; if (n.zIndex() !== i) n.zIndex(i); i++; }
    }
    this.syncLasers();
    this.updateSelection();
    this.layer.batchDraw();
  }

  private syncLasers(): void {
    const trails = this.doc.laserTrails();
    const seen = new Set<string>();
    for (const t of trails) {
      seen.add(t.shape.id);
      const cur = this.lasers.get(t.shape.id);
      if (cur && cur.shape === t.shape) continue;
      cur?.node.destroy();
      const node = buildNode(t.shape, this.vp, this.rect, { interactive: false }) as Konva.Line;
      this.fx.add(node);
      this.lasers.set(t.shape.id, { shape: t.shape, node });
      this.pendingDrawn.push({ id: t.shape.id, v: t.shape.v });
    }
    for (const [id, { node }] of this.lasers) if (!seen.has(id)) { node.destroy(); this.lasers.delete(id); }
    if (this.lasers.size) this.ensureAnim();
    this.fx.batchDraw();
  }

  private updateSelection(): void {
    const n = this.selected ? this.nodes.get(this.selected)?.node : undefined;
    if (!n) { this.selection.visible(false); return; }
    const b = n.getClientRect({ relativeTo: this.layer });
    const pad = 6;
    this.selection.setAttrs({ visible: true, x: b.x - pad, y: b.y - pad, width: b.width + pad * 2, height: b.height + pad * 2 });
    this.selection.moveToTop();
    this.fx.batchDraw();
  }

  private ensureAnim(): void { if (!this.anim.isRunning()) this.anim.start(); }

  private tick(): boolean | void {
    const now = performance.now();
    // Laser trails fade by local time since their last update (clocks of the two machines never meet).
    for (const t of this.doc.laserTrails()) {
      const l = this.lasers.get(t.shape.id);
      if (!l || t.shape.kind !== 'laser') continue;
      const age = Date.now() - t.seenAt;
      l.node.opacity(Math.max(0, 1 - age / t.shape.ttlMs));
    }
    if (this.doc.laserTrails().length) this.doc.expireLasers();
    const unit = unitPx(this.rect);
    for (let i = this.pulses.length - 1; i >= 0; i--) {
      const p = this.pulses[i]!;
      const k = (now - p.t0) / PULSE_MS;
      if (k >= 1) { p.ring.destroy(); p.dot.destroy(); this.pulses.splice(i, 1); continue; }
      // Three expanding rings over the pulse's life, then gone.
      const phase = (k * 3) % 1;
      p.ring.radius(8 + phase * Math.max(30, unit * 0.08));
      p.ring.opacity(1 - phase);
      p.dot.opacity(1 - k * k * k);
    }
    if (!this.pulses.length && !this.lasers.size) this.anim.stop();
  }
}
