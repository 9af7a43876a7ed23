/**
 * The annotation model: plain, serialisable data (no Konva, no DOM), shared by
 * rendering, undo, sync and case storage. Every coordinate is normalised to the
 * video frame as the camera produced it (0..1 of its intrinsic width/height,
 * before any display rotation or object-fit), so a mark lands on the same spot
 * of the picture at any resolution, aspect ratio or orientation.
 */

export type ShapeKind = 'arrow' | 'ellipse' | 'rect' | 'pen' | 'text' | 'step' | 'laser';

export interface Style {
  /** #rrggbb */
  color: string;
  /** Fraction of the shorter side of the displayed frame. */
  width: number;
}

export interface ArrowGeom { kind: 'arrow'; x1: number; y1: number; x2: number; y2: number }
/** Ellipse inscribed in its bounding box. */
export interface EllipseGeom { kind: 'ellipse'; x: number; y: number; w: number; h: number }
export interface RectGeom { kind: 'rect'; x: number; y: number; w: number; h: number }
/** Flat [x0, y0, x1, y1, ...]. */
export interface PenGeom { kind: 'pen'; points: number[] }
/** Anchor is the top-left of the label; size is a fraction of the shorter frame side. */
export interface TextGeom { kind: 'text'; x: number; y: number; text: string; size: number }
export interface StepGeom { kind: 'step'; x: number; y: number; n: number }
/** Ephemeral: never undone, never saved, fades ttlMs after its last update on each screen. */
export interface LaserGeom { kind: 'laser'; points: number[]; ttlMs: number }

export type Geometry = ArrowGeom | EllipseGeom | RectGeom | PenGeom | TextGeom | StepGeom | LaserGeom;

/** What a shape looks like: geometry + style + stacking order. What undo restores. */
export type ShapeContent = Geometry & { style: Style; z: number };

/**
 * Who wrote this state last and when. Lamport clock first, author id as tie
 * breaker: a total order every replica agrees on, so last-writer-wins converges
 * whatever order operations arrive in.
 */
export interface Stamp { clock: number; by: string }

/** A shape as stored and synced: content plus its identity and version. */
export type Shape = ShapeContent & Stamp & {
  id: string;
  /** Per-shape version: +1 on every write to this id (add = 1). */
  v: number;
};

export interface Tombstone extends Stamp { id: string; v: number; deleted: true }

export type AddOp = { op: 'add'; shape: Shape };
export type UpdateOp = { op: 'update'; shape: Shape };
export type RemoveOp = { op: 'remove'; id: string; v: number } & Stamp;
export type ClearOp = { op: 'clear' } & Stamp;
export type Operation = AddOp | UpdateOp | RemoveOp | ClearOp;

/** Full state for late joiners and reconnects. Merging it is the same LWW as applying ops. */
export interface Snapshot {
  v: 1;
  clock: number;
  cleared: Stamp | null;
  shapes: Shape[];
  tombstones: Tombstone[];
}

export type RejectCode = 'malformed' | 'oversized' | 'too_many_shapes' | 'unsupported';
export interface Rejection { code: RejectCode; message: string }
