/**
 * Hard bounds on anything that crosses the wire. They exist so a buggy or
 * hostile peer cannot make the other side allocate or render without limit.
 */
export const LIMITS = {
  /** Points (x,y pairs) in one pen or laser stroke. A 10 s scribble sampled per frame is ~600. */
  maxPointsPerStroke: 2000,
  /** Characters in one text label. */
  maxTextLength: 200,
  /** Live (visible) shapes in one document. */
  maxShapes: 1000,
  /** Records (live + tombstones) in one snapshot. */
  maxSnapshotRecords: 4000,
  /** Encoded size of one message on the data channel, checked before JSON.parse. */
  maxMessageBytes: 64 * 1024,
  /** Encoded size of one snapshot message (many shapes). */
  maxSnapshotBytes: 4 * 1024 * 1024,
  /** Step marker numbers. */
  maxStepNumber: 999,
  /** Laser trail lifetime. */
  maxLaserTtlMs: 10_000,
  /** Identifier lengths. */
  maxIdLength: 64,
} as const;

/** Stroke widths and font sizes are fractions of the shorter side of the displayed frame. */
export const STROKE_WIDTHS = { thin: 0.004, medium: 0.008, thick: 0.016 } as const;
export const MIN_STROKE = 0.0005;
export const MAX_STROKE = 0.1;
export const MIN_FONT = 0.01;
export const MAX_FONT = 0.3;
