/**
 * The agent's pointer gestures on the stage, from pointer down to up: drag out an arrow,
 * ellipse or rectangle, draw a pen or laser stroke, move one of our marks, place a step number
 * or open a text label. Every move goes out at once so the customer sees the shape grow; the
 * finished gesture is one undo step. The geometry is gestures.ts's; the annotator owns the
 * document and the wire, so this is given the callbacks it needs.
 */
import type { Store } from '../../call/observable-store';
import { clampPoint, toFrame } from '../model/coords';
import type { AnnotationDoc } from '../model/doc';
import type { History } from '../model/history';
import { LIMITS } from '../model/limits';
import type { Operation, ShapeContent, Style } from '../model/types';
import type { AnnotationScene } from '../render/scene';
import { LASER_POINTS, LASER_TTL_MS, dragGeometry, extendStroke, nextStep, q, translate, withStyle } from './gestures';
import type { AgentAnnotationState } from './state';

type Gesture =
  | { kind: 'draw'; tool: 'arrow' | 'ellipse' | 'rect'; start: { x: number; y: number }; id: string | null; startPx: { x: number; y: number } }
  | { kind: 'stroke'; tool: 'pen' | 'laser'; id: string | null; points: number[] }
  | { kind: 'move'; id: string; start: { x: number; y: number }; before: ShapeContent; moved: boolean };

export class PointerGestures {
  private gesture: Gesture | null = null;

  constructor(private readonly d: {
    doc: AnnotationDoc;
    history: History;
    store: Store<AgentAnnotationState>;
    scene: () => AnnotationScene | null;
    container: () => HTMLDivElement | null;
    style: () => Style;
    /** Whether this desk may change the mark (a technician or the second agent: only its own). */
    mine: (id: string) => boolean;
    select: (id: string | null) => void;
    /** Add a shape and send it (null at the shape limit); `record` makes it an undo step, `eventTime` goes to the probe. */
    create: (content: Parameters<AnnotationDoc['create']>[0], record: boolean, eventTime?: number) => string | null;
    send: (ops: readonly (Operation | null)[]) => void;
  }) {}

  /** True between a pointer down that started a gesture and its pointer up (or cancel). */
  get active(): boolean { return this.gesture !== null; }

  private frameAt(e: PointerEvent | MouseEvent): { x: number; y: number; px: { x: number; y: number } } | null {
    const scene = this.d.scene(), container = this.d.container();
    if (!scene || !container) return null;
    const r = container.getBoundingClientRect();
    const px = { x: e.clientX - r.left, y: e.clientY - r.top };
    const f = clampPoint(toFrame(px, scene.viewport, scene.content));
    return { ...f, px };
  }

  down(e: PointerEvent): void {
    if (e.button !== 0) return;
    const p = this.frameAt(e);
    if (!p) return;
    const { doc, store } = this.d;
    const s = store.get();
    const at = performance.timeOrigin + e.timeStamp;
    store.set({ notice: null });
    switch (s.tool) {
      case 'select': {
        const hit = this.d.scene()!.shapeAt(p.px.x, p.px.y);
        const id = hit && this.d.mine(hit) ? hit : null;
        this.d.select(id);
        const before = id ? doc.contentOf(id) : null;
        if (id && before) this.gesture = { kind: 'move', id, start: p, before, moved: false };
        break;
      }
      case 'arrow': case 'ellipse': case 'rect':
        this.gesture = { kind: 'draw', tool: s.tool, start: p, id: null, startPx: p.px };
        break;
      case 'pen': case 'laser':
        this.gesture = { kind: 'stroke', tool: s.tool, id: null, points: extendStroke([], p) };
        break;
      case 'step':
        this.d.create({ kind: 'step', x: q(p.x), y: q(p.y), n: nextStep(doc.shapes() as never), style: this.d.style() }, true, at);
        break;
      case 'text': {
        // A click away from an open label lets its input's blur commit it; the next click starts a new one.
        if (s.textDraft) break;
        store.set({ textDraft: { left: p.px.x, top: p.px.y, x: q(p.x), y: q(p.y) } });
        break;
      }
    }
    if (this.gesture) (e.target as Element | null)?.setPointerCapture?.(e.pointerId);
  }

  move(e: PointerEvent): void {
    const g = this.gesture;
    if (!g) return;
    const p = this.frameAt(e);
    if (!p) return;
    const { doc } = this.d;
    const at = performance.timeOrigin + e.timeStamp;
    if (g.kind === 'draw') {
      // A click without a drag draws nothing.
      if (!g.id && Math.hypot(p.px.x - g.startPx.x, p.px.y - g.startPx.y) < 3) return;
      const geom = withStyle(dragGeometry(g.tool, g.start, p), this.d.style());
      if (!g.id) g.id = this.d.create(geom, false, at);
      else this.d.send([doc.put(g.id, { ...geom, z: doc.get(g.id)!.z } as ShapeContent)]);
    } else if (g.kind === 'stroke') {
      const max = g.tool === 'laser' ? LASER_POINTS : LIMITS.maxPointsPerStroke;
      const pts = extendStroke(g.points, p, max);
      if (pts === g.points) return;
      g.points = pts;
      const content = g.tool === 'laser'
        ? { kind: 'laser' as const, points: pts, ttlMs: LASER_TTL_MS, style: this.d.style() }
        : { kind: 'pen' as const, points: pts, style: this.d.style() };
      if (!g.id) g.id = this.d.create(content, false, at);
      else { const cur = doc.get(g.id); if (cur) this.d.send([doc.put(g.id, { ...content, z: cur.z } as ShapeContent)]); }
    } else {
      const dx = p.x - g.start.x, dy = p.y - g.start.y;
      if (!doc.get(g.id)) { this.gesture = null; return; }
      g.moved = true;
      this.d.send([doc.put(g.id, translate(g.before, dx, dy))]);
      this.d.scene()?.select(g.id);
    }
  }

  up(e: PointerEvent): void {
    if (this.gesture) this.move(e);
    const g = this.gesture;
    this.gesture = null;
    if (!g) return;
    const { doc, history } = this.d;
    if (g.kind === 'draw' || (g.kind === 'stroke' && g.tool === 'pen')) {
      if (g.id) history.record([{ id: g.id, before: null, after: doc.contentOf(g.id) }]);
    } else if (g.kind === 'move' && g.moved) {
      history.record([{ id: g.id, before: g.before, after: doc.contentOf(g.id) }]);
    }
  }

  cancel(): void {
    const g = this.gesture;
    this.gesture = null;
    if (!g) return;
    // An unfinished shape is taken back; an unfinished move goes back to where it was.
    if ((g.kind === 'draw' || g.kind === 'stroke') && g.id) this.d.send([this.d.doc.remove(g.id)]);
    if (g.kind === 'move' && g.moved) this.d.send([this.d.doc.put(g.id, g.before)]);
  }
}
