/**
 * The agent's annotation session, UI-free: the document, undo history, data
 * channel sync, the Konva scene, the active tool and the pointer/keyboard
 * gestures. The React stage only hosts the container and the toolbar. The
 * freeze-frame, the hand-off relay and the pointer gestures are helpers of
 * their own (freeze-frame.ts, mark-relay.ts, pointer-gestures.ts), wired here.
 */
import type { Messenger } from '../../call/peer/data-channel';
import { createStore, type Store } from '../../call/observable-store';
import { toScreen, type Viewport } from '../model/coords';
import { AnnotationDoc, contentOf as contentOfShape } from '../model/doc';
import { History, type Change } from '../model/history';
import { newAuthorId } from '../model/ids';
import { LIMITS, STROKE_WIDTHS } from '../model/limits';
import type { Operation, ShapeContent, Style } from '../model/types';
import { AnnotationScene } from '../render/scene';
import { readViewport, watchVideo } from '../render/viewport';
import { AnnotationSync } from '../sync/annotation-sync';
import { GuestGate } from '../sync/guest-gate';
import { colleagueGate } from '../sync/colleague-gate';
import type { StillMap } from '../../stills/still-map';
import { FreezeFrame, type ShownStill } from './freeze-frame';
import { MarkRelay } from './mark-relay';
import { PointerGestures } from './pointer-gestures';
import { handleShortcut } from './shortcuts';
import type { AgentAnnotationState, WidthName } from './state';
import { COLORS, type Tool } from './gestures';

export type { AgentAnnotationState, FrozenState, WidthName } from './state';

/** What tests and the benchmark read: when (epoch ms) the pointer event that created each shape happened. */
export interface AgentProbe { created: Map<string, number>; updated: Array<{ id: string; v: number; at: number }> }

export class AgentAnnotator {
  readonly doc: AnnotationDoc;
  readonly history: History;
  readonly store: Store<AgentAnnotationState>;
  readonly probe: AgentProbe = { created: new Map(), updated: [] };
  sync: AnnotationSync | null = null;
  scene: AnnotationScene | null = null;
  /** The still being shown while frozen (customer bytes once they arrive). */
  still: ShownStill | null = null;
  private video: HTMLVideoElement | null = null;
  private container: HTMLDivElement | null = null;
  private readonly offs: Array<() => void> = [];
  private syncOffs: Array<() => void> = [];
  private readonly frames: FreezeFrame;
  /** Technicians and the second agent (or, on the second agent's desk, the main agent's). */
  private readonly relay: MarkRelay;
  private readonly gestures: PointerGestures;

  /**
   * `guest`: a technician's page — same tools, its own fixed colour, only its own marks
   * editable, no freeze (the agent's workstation keeps the stills).
   */
  constructor(author = newAuthorId('a'), readonly guest: { color: string } | null = null) {
    this.doc = new AnnotationDoc(author);
    this.history = new History(this.doc);
    this.store = createStore<AgentAnnotationState>({
      tool: 'arrow', color: guest ? guest.color : COLORS[0].hex, width: 'medium', selected: null, frozen: null, textDraft: null,
      canUndo: false, canRedo: false, shapes: 0, rejections: 0, connected: false, notice: null, taps: 0, lastTap: null, colleague: false,
    });
    this.offs.push(this.history.subscribe(() => this.store.set({ canUndo: this.history.canUndo, canRedo: this.history.canRedo })));
    this.offs.push(this.doc.subscribe(() => {
      const sel = this.store.get().selected;
      this.store.set({ shapes: this.doc.size, ...(sel && !this.doc.get(sel) ? { selected: null } : {}) });
    }));
    this.frames = new FreezeFrame({
      store: this.store,
      video: () => this.video,
      follower: () => !!this.guest || this.relay.linkedToHub,
      keep: (still) => { this.still = still; },
      paint: (image) => { this.scene?.setStill(image); this.refreshViewport(); },
      tell: (fid, on) => {
        this.sync?.sendFreeze(fid, on);
        this.relay.sendFreeze(fid, on);
      },
    });
    this.relay = new MarkRelay({
      doc: this.doc,
      store: this.store,
      customer: () => this.sync,
      mine: (id) => this.mine(id),
      select: (id) => this.select(id),
      follow: (fid, on) => this.frames.follow(fid, on),
      tapped: (x, y) => this.tapped(x, y),
    });
    this.gestures = new PointerGestures({
      doc: this.doc,
      history: this.history,
      store: this.store,
      scene: () => this.scene,
      container: () => this.container,
      style: () => this.style,
      mine: (id) => this.mine(id),
      select: (id) => this.select(id),
      create: (content, record, eventTime) => this.createShape(content, record, eventTime),
      send: (ops) => this.send(ops),
    });
  }

  get state(): AgentAnnotationState { return this.store.get(); }
  get style(): Style { const s = this.store.get(); return { color: s.color, width: STROKE_WIDTHS[s.width] }; }

  // ---- wiring -----------------------------------------------------------------

  /** Mount the Konva stage into `container`, laid over `video`. */
  attach(container: HTMLDivElement, video: HTMLVideoElement): () => void {
    this.container = container;
    this.video = video;
    const scene = new AnnotationScene(container, this.doc, readViewport(video), {
      interactive: true,
      onDrawn: (drawn, at) => { for (const d of drawn) this.probe.updated.push({ ...d, at }); if (this.probe.updated.length > 5000) this.probe.updated.splice(0, 1000); },
    });
    this.scene = scene;
    if (this.still) scene.setStill(this.still.image);
    const stop = watchVideo(video, () => this.refreshViewport());
    return () => {
      stop();
      scene.destroy();
      if (this.scene === scene) { this.scene = null; this.container = null; this.video = null; }
    };
  }

  refreshViewport(): Viewport | null {
    if (!this.scene || !this.video) return null;
    const vp = readViewport(this.video);
    // While frozen, the still (not the live video) defines the frame.
    if (this.still) { vp.frameW = this.still.w; vp.frameH = this.still.h; }
    this.scene.setViewport(vp);
    return vp;
  }

  /**
   * Start syncing over a call's data channel (the messenger outlives reconnects). `stills` is the
   * call's stills map, where a freeze's still arrives (without it the freeze keeps our own frame).
   */
  connect(messenger: Messenger, stills: StillMap | null = null): () => void {
    this.disconnect();
    const sync = new AnnotationSync(messenger, this.doc, this.guest ? 'technician' : 'agent');
    this.sync = sync;
    this.syncOffs = [
      sync.on('tap', (tp) => {
        this.tapped(tp.x, tp.y);
        // the customer's pointing reaches the technicians too
        this.relay.sendTap(tp.id, tp.x, tp.y);
      }),
      sync.on('still', (ref) => this.frames.named(ref.fid, ref.sha256, stills)),
      ...(stills ? [stills.onAdded((s) => this.frames.arrived(s))] : []),
      sync.on('rejection', () => this.store.set({ rejections: this.store.get().rejections + 1 })),
      sync.on('open', (open) => {
        this.store.set({ connected: open });
        // A customer back from a reload must see the freeze too.
        const fr = this.store.get().frozen;
        if (open && fr && !this.guest) sync.sendFreeze(fr.fid, true);
      }),
      // a technician's page: the agent froze (or resumed) the picture it annotates on
      ...(this.guest ? [sync.on('freeze', (f) => this.frames.follow(f.fid, f.on))] : []),
      () => sync.dispose(),
    ];
    this.store.set({ connected: sync.open });
    return () => this.disconnect();
  }

  disconnect(): void {
    for (const off of this.syncOffs.splice(0)) off();
    this.sync = null;
  }

  /** A customer's tap (on our link or relayed by the main agent): pulse it and count it. */
  private tapped(x: number, y: number): void {
    this.scene?.pulse(x, y);
    this.store.set({ taps: this.store.get().taps + 1, lastTap: { x, y } });
  }

  /** Agent: a technician's data channel, kept to its own marks by `gate` (see MarkRelay.connectGuest). */
  connectGuest(messenger: Messenger, gate: GuestGate = new GuestGate(this.doc.author)): () => void {
    return this.relay.connectGuest(messenger, gate);
  }

  /**
   * Main agent: the second agent's desk (consult, warm transfer), on the agents' own peer. It is
   * checked like a technician (its own marks, in the colleague colour, no clear) and its marks are
   * relayed to the customer and the technicians; it gets the whole board and every change.
   */
  connectColleague(messenger: Messenger): () => void {
    return this.connectGuest(messenger, colleagueGate(this.doc.author));
  }

  /** Second agent: the main agent's desk, while it is there (see MarkRelay.connectHub). */
  connectHub(messenger: Messenger): () => void {
    return this.relay.connectHub(messenger);
  }

  /** A technician's page, or the second agent's desk, may change only the marks it made. */
  private mine(id: string): boolean {
    return (!this.guest && !this.relay.linkedToHub) || id.startsWith(`${this.doc.author}-`);
  }

  dispose(): void {
    this.disconnect();
    this.relay.dispose();
    for (const off of this.offs.splice(0)) off();
  }

  private send(ops: readonly (Operation | null)[]): void {
    const list = ops.filter((o): o is Operation => !!o);
    if (!list.length) return;
    this.sync?.sendOps(list);
    this.relay.sendOps(list);
  }

  // ---- commands -------------------------------------------------------------------

  setTool(tool: Tool): void {
    this.gestures.cancel();
    this.store.set({ tool, textDraft: null, ...(tool !== 'select' ? { selected: null } : {}) });
    if (tool !== 'select') this.scene?.select(null);
  }

  setColor(hex: string): void {
    // a technician's marks are always in the technician's colour, the second agent's in the colleague colour
    if (this.guest || this.relay.linkedToHub) return;
    this.store.set({ color: hex });
    this.restyleSelected({ color: hex });
  }

  setWidth(w: WidthName): void {
    this.store.set({ width: w });
    this.restyleSelected({ width: STROKE_WIDTHS[w] });
  }

  private restyleSelected(patch: Partial<Style>): void {
    const id = this.store.get().selected;
    const before = id ? this.doc.contentOf(id) : null;
    if (!id || !before) return;
    const after = { ...before, style: { ...before.style, ...patch } } as ShapeContent;
    this.send([this.doc.put(id, after)]);
    this.history.record([{ id, before, after }]);
  }

  undo(): void { this.gestures.cancel(); this.send(this.history.undo()); }
  redo(): void { this.gestures.cancel(); this.send(this.history.redo()); }

  deleteSelected(): void {
    const id = this.store.get().selected;
    const before = id ? this.doc.contentOf(id) : null;
    if (!id || !before) return;
    this.send([this.doc.remove(id)]);
    this.history.record([{ id, before, after: null }]);
    this.select(null);
  }

  clearAll(): void {
    this.gestures.cancel();
    if (this.guest || this.relay.linkedToHub) {
      // a guest (or the second agent) clears its own marks, never the others'
      const own = this.doc.shapes().filter((sh) => this.mine(sh.id));
      this.send(own.map((sh) => this.doc.remove(sh.id)));
      this.history.record(own.map((sh) => ({ id: sh.id, before: contentOfShape(sh), after: null })));
      this.select(null);
      return;
    }
    const changes: Change[] = this.doc.shapes().map((s) => ({ id: s.id, before: this.doc.contentOf(s.id), after: null }));
    this.send([this.doc.clear()]);
    this.history.record(changes);
    this.select(null);
  }

  select(id: string | null): void {
    if (id !== null && !this.mine(id)) id = null;
    this.store.set({ selected: id });
    this.scene?.select(id);
  }

  // ---- freeze frame -------------------------------------------------------------------

  toggleFreeze(): void { this.frames.toggle(); }
  freeze(): void { this.frames.freeze(); }
  resume(): void { this.frames.resume(); }

  // ---- text ----------------------------------------------------------------------------

  commitText(text: string): void {
    const d = this.store.get().textDraft;
    this.store.set({ textDraft: null });
    const clean = text.trim().slice(0, LIMITS.maxTextLength);
    if (!d || !clean) return;
    this.createShape({ kind: 'text', x: d.x, y: d.y, text: clean, size: 0.045, style: this.style }, true);
  }

  cancelText(): void { this.store.set({ textDraft: null }); }

  /** Add a shape and send it (null at the shape limit); `record` makes it an undo step. */
  private createShape(content: Parameters<AnnotationDoc['create']>[0], record: boolean, eventTime?: number): string | null {
    if (content.kind !== 'laser' && this.doc.size >= LIMITS.maxShapes) { this.store.set({ notice: 'limit' }); return null; }
    const op = this.doc.create(content);
    const id = op.op === 'add' ? op.shape.id : null;
    if (!id) return null;
    if (eventTime !== undefined) this.probe.created.set(id, eventTime);
    this.send([op]);
    if (record) this.history.record([{ id, before: null, after: this.doc.contentOf(id) }]);
    return id;
  }

  // ---- pointer gestures (pointer-gestures.ts) --------------------------------------------

  onPointerDown(e: PointerEvent): void { this.gestures.down(e); }
  onPointerMove(e: PointerEvent): void { this.gestures.move(e); }
  onPointerUp(e: PointerEvent): void { this.gestures.up(e); }

  // ---- keyboard (shortcuts.ts maps keys to these commands) ---------------------------

  /** Esc: cancel the current gesture, else the text, else the selection, else the freeze. */
  escape(): void {
    if (this.gestures.active) this.gestures.cancel();
    else if (this.store.get().textDraft) this.cancelText();
    else if (this.store.get().selected) this.select(null);
    else if (this.store.get().frozen) this.resume();
  }

  /** Returns true when the key was ours (the caller then prevents the default). */
  onKeyDown(e: KeyboardEvent): boolean { return handleShortcut(this, e); }

  /** Screen position of a normalised point on the agent stage (tests, text draft). */
  screenOf(x: number, y: number): { x: number; y: number } | null {
    return this.scene ? toScreen({ x, y }, this.scene.viewport, this.scene.content) : null;
  }
}
