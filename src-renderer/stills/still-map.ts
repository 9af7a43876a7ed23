/**
 * The agent's stills of one call, by content address: sha256 -> bytes, type,
 * size and source. Like the files map Excalidraw's image elements point into,
 * the views (the annotation freeze, the OCR tray, case evidence) hold the
 * sha256 and look the picture up here, so a still crosses the wire once.
 */
import type { StillMime, StillSource } from './protocol';

export interface AgentStill {
  /** Short id for lists (the sha256's first 16 hex digits, or a frame-grab id). */
  id: string;
  bytes: Uint8Array;
  /** Content address, always set (verified on arrival, computed for a frame grab). */
  sha256: string;
  mime: StillMime;
  width: number;
  height: number;
  source: StillSource;
  at: number;
}

/** Enough for the stills of a long call; the oldest are forgotten first (views keep what they show). */
const KEEP = 48;

export class StillMap {
  private readonly bySha = new Map<string, AgentStill>();
  private readonly fns = new Set<(s: AgentStill) => void>();

  get(sha256: string): AgentStill | undefined { return this.bySha.get(sha256); }
  has(sha256: string): boolean { return this.bySha.has(sha256); }
  get size(): number { return this.bySha.size; }
  /** Oldest first. */
  all(): AgentStill[] { return [...this.bySha.values()]; }

  /** Adds (or refreshes) a still and tells the listeners. */
  put(still: AgentStill): void {
    this.bySha.delete(still.sha256);
    this.bySha.set(still.sha256, still);
    while (this.bySha.size > KEEP) this.bySha.delete(this.bySha.keys().next().value!);
    for (const fn of this.fns) fn(still);
  }

  onAdded(fn: (s: AgentStill) => void): () => void { this.fns.add(fn); return () => { this.fns.delete(fn); }; }
}
