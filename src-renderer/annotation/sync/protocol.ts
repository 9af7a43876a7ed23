/**
 * The 'annotation' namespace on the data channel. The outer envelope is checked
 * here; each operation inside 'ops' is checked on its own by the model schema,
 * so one bad op is rejected with a typed reason (and reported back to the
 * sender) without losing the good ones next to it.
 */
import { z } from '../../../signaling-server/protocol';
import { LIMITS } from '../model/limits';

export const ANNOTATION_NS = 'annotation';
export const MAX_OPS_PER_MESSAGE = 500;

const ident = z.string().check(z.minLength(1), z.maxLength(LIMITS.maxIdLength), z.regex(/^[A-Za-z0-9_.:-]+$/));
const unit = z.number().check(z.gte(0), z.lte(1));
const count = z.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));

export const annotationWire = z.discriminatedUnion('t', [
  /** Operations, in order. Items are validated one by one (see checkOperation). */
  z.strictObject({ t: z.literal('ops'), ops: z.array(z.unknown()).check(z.maxLength(MAX_OPS_PER_MESSAGE)) }),
  /** "Send me everything" (a customer that joined late or reconnected). */
  z.strictObject({ t: z.literal('sync') }),
  /** End of a full-state transfer. */
  z.strictObject({ t: z.literal('synced'), clock: count, shapes: count }),
  /** Customer pointing at their own screen. */
  z.strictObject({ t: z.literal('tap'), id: ident, x: unit, y: unit }),
  /** Agent freezes (on) or resumes (off) the picture. */
  z.strictObject({ t: z.literal('freeze'), fid: ident, on: z.boolean() }),
  /**
   * The customer's still for freeze `fid`, by content address: the bytes travel the stills
   * transport (src-renderer/stills/), so the agent finds them in its stills map under `sha256`.
   */
  z.strictObject({ t: z.literal('still'), fid: ident, sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)) }),
  /** The other side refused something we sent. */
  z.strictObject({ t: z.literal('reject'), code: z.enum(['malformed', 'oversized', 'too_many_shapes', 'unsupported']), message: z.string().check(z.maxLength(500)) }),
]);

export type AnnotationWire = z.infer<typeof annotationWire>;
