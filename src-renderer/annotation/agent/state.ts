/**
 * What the agent's annotation session publishes to its toolbar, stage and tests: plain,
 * serialisable data (no Konva, no DOM), so the annotator's helpers can share it without
 * depending on the annotator itself.
 */
import type { STROKE_WIDTHS } from '../model/limits';
import type { Tool } from './gestures';

export type WidthName = keyof typeof STROKE_WIDTHS;

export interface FrozenState {
  fid: string;
  /** The customer's still for this freeze, by content address (null until the customer names it). */
  sha256: string | null;
  /** True once the customer's own (sharp) still has replaced our received frame. */
  sharp: boolean;
}

export interface AgentAnnotationState {
  tool: Tool;
  color: string;
  width: WidthName;
  selected: string | null;
  frozen: FrozenState | null;
  textDraft: { left: number; top: number; x: number; y: number } | null;
  canUndo: boolean;
  canRedo: boolean;
  shapes: number;
  rejections: number;
  connected: boolean;
  notice: 'limit' | null;
  /** Customer taps seen, and the last one (normalised). */
  taps: number;
  /**
   * The second agent in the room (consult, warm transfer) while linked to the main agent's desk:
   * drawing in the colleague colour, own marks only, no clear of the board, the main agent's freeze.
   */
  colleague: boolean;
  lastTap: { x: number; y: number } | null;
}
