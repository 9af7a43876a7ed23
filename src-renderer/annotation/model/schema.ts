/**
 * zod schemas for everything the model accepts from outside. Bounds come from
 * LIMITS; a value that fails is rejected with a typed reason and never reaches
 * the document (so it is never rendered).
 */
import { z } from '../../../signaling-server/protocol';
import { LIMITS, MAX_FONT, MAX_STROKE, MIN_FONT, MIN_STROKE } from './limits';
import type { Operation, Rejection, Snapshot } from './types';

const unit = z.number().check(z.gte(0), z.lte(1));
/** Box extents: non-negative, at most the frame. */
const extent = z.number().check(z.gte(0), z.lte(1));
const ident = z.string().check(z.minLength(1), z.maxLength(LIMITS.maxIdLength), z.regex(/^[A-Za-z0-9_.:-]+$/));
const clock = z.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));
const version = z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER));
const points = z.array(unit).check(z.maxLength(LIMITS.maxPointsPerStroke * 2), z.refine((p) => p.length % 2 === 0, 'points come in x,y pairs'));

export const styleSchema = z.strictObject({
  color: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/)),
  width: z.number().check(z.gte(MIN_STROKE), z.lte(MAX_STROKE)),
});

const meta = {
  id: ident,
  v: version,
  clock,
  by: ident,
  style: styleSchema,
  z: clock,
};

export const shapeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...meta, kind: z.literal('arrow'), x1: unit, y1: unit, x2: unit, y2: unit }),
  z.strictObject({ ...meta, kind: z.literal('ellipse'), x: unit, y: unit, w: extent, h: extent }),
  z.strictObject({ ...meta, kind: z.literal('rect'), x: unit, y: unit, w: extent, h: extent }),
  z.strictObject({ ...meta, kind: z.literal('pen'), points }),
  z.strictObject({ ...meta, kind: z.literal('text'), x: unit, y: unit, text: z.string().check(z.minLength(1), z.maxLength(LIMITS.maxTextLength)), size: z.number().check(z.gte(MIN_FONT), z.lte(MAX_FONT)) }),
  z.strictObject({ ...meta, kind: z.literal('step'), x: unit, y: unit, n: z.number().check(z.int(), z.gte(1), z.lte(LIMITS.maxStepNumber)) }),
  z.strictObject({ ...meta, kind: z.literal('laser'), points, ttlMs: z.number().check(z.int(), z.gte(100), z.lte(LIMITS.maxLaserTtlMs)) }),
]);

export const operationSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), shape: shapeSchema }),
  z.strictObject({ op: z.literal('update'), shape: shapeSchema }),
  z.strictObject({ op: z.literal('remove'), id: ident, v: version, clock, by: ident }),
  z.strictObject({ op: z.literal('clear'), clock, by: ident }),
]);

const tombstoneSchema = z.strictObject({ id: ident, v: version, clock, by: ident, deleted: z.literal(true) });
const stampSchema = z.strictObject({ clock, by: ident });

export const snapshotSchema = z.strictObject({
  v: z.literal(1),
  clock,
  cleared: z.nullable(stampSchema),
  shapes: z.array(shapeSchema).check(z.maxLength(LIMITS.maxShapes)),
  tombstones: z.array(tombstoneSchema).check(z.maxLength(LIMITS.maxSnapshotRecords)),
});

export type Checked<T> = { ok: true; value: T } | { ok: false; error: Rejection };

/** Map zod issues to our reasons: anything "too big" is oversized, everything else malformed. */
export function rejectionFrom(error: z.core.$ZodError, what: string): Rejection {
  const big = error.issues.find((i) => i.code === 'too_big');
  if (big) return { code: 'oversized', message: `${what}: ${big.path.join('.') || 'value'} too big (${big.message})` };
  const first = error.issues[0];
  const where = first?.path.length ? first.path.join('.') : 'value';
  return { code: 'malformed', message: `${what}: ${where}: ${first?.message ?? 'invalid'}` };
}

export function checkOperation(raw: unknown): Checked<Operation> {
  const r = operationSchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data as Operation } : { ok: false, error: rejectionFrom(r.error, 'operation') };
}

export function checkSnapshot(raw: unknown): Checked<Snapshot> {
  const r = snapshotSchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data as Snapshot } : { ok: false, error: rejectionFrom(r.error, 'snapshot') };
}

/** Size check before parsing, so a huge string is refused without being parsed. */
export function checkEncodedSize(text: string, max: number = LIMITS.maxMessageBytes): Rejection | null {
  // UTF-16 length bounds UTF-8 bytes within 3x; exact bytes only when near the limit.
  if (text.length * 3 <= max) return null;
  const bytes = new TextEncoder().encode(text).length;
  return bytes > max ? { code: 'oversized', message: `message of ${bytes} bytes exceeds ${max}` } : null;
}
