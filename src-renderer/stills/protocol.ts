/**
 * The 'stills' data-channel namespace, the one way a still crosses the call:
 * the agent asks for a full-resolution still (or freezes the picture, or the
 * customer sends a photo), the customer device sends it in checked binary
 * chunks; the agent verifies every chunk's index and length and the sha256 of
 * the whole before it accepts the still. Everything else (the annotation
 * freeze, OCR, case evidence) then refers to the still by that sha256.
 * Control messages are JSON (zod); chunks are the messenger's binary frames
 * under the same namespace.
 */
import { z } from '../../signaling-server/protocol';
import { STILL_MIMES } from '../image/sniff';

export { STILL_MIMES, type StillMime } from '../image/sniff';

export const STILLS_NS = 'stills';
/** Largest still accepted (a 12 MP JPEG at q 0.92 is ~3-6 MiB). */
export const MAX_STILL_BYTES = 16 * 1024 * 1024;
export const MAX_CHUNKS = 4096;
/**
 * Where a still came from: the camera at full resolution on the agent's request, a photo the
 * customer picked, the customer's preview frame for an annotation freeze, or (agent side only,
 * never on the wire) a frame grabbed from the received video as the fallback.
 */
export type StillSource = 'camera' | 'file' | 'freeze' | 'frame';

const id = z.number().check(z.int(), z.gte(1), z.lte(0xffffffff));
const Sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/));

export const StillOffer = z.strictObject({
  kind: z.literal('offer'),
  transferId: id,
  requestId: z.optional(z.string().check(z.maxLength(64))),
  bytes: z.number().check(z.int(), z.gte(1), z.lte(MAX_STILL_BYTES)),
  chunkSize: z.number().check(z.int(), z.gte(1024), z.lte(256 * 1024)),
  chunks: z.number().check(z.int(), z.gte(1), z.lte(MAX_CHUNKS)),
  sha256: Sha256,
  mime: z.enum(STILL_MIMES),
  width: z.number().check(z.int(), z.gte(1), z.lte(20_000)),
  height: z.number().check(z.int(), z.gte(1), z.lte(20_000)),
  source: z.enum(['camera', 'file', 'freeze']),
}).check(z.refine((o) => o.chunks === Math.ceil(o.bytes / o.chunkSize), 'chunks must be ceil(bytes / chunkSize)'));
export type StillOffer = z.infer<typeof StillOffer>;

export const StillMsg = z.union([
  z.strictObject({ kind: z.literal('request'), requestId: z.string().check(z.minLength(1), z.maxLength(64)), preferMime: z.optional(z.enum(STILL_MIMES)) }),
  /** The customer device is capturing (so the agent waits longer before falling back). */
  z.strictObject({ kind: z.literal('accepted'), requestId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  z.strictObject({ kind: z.literal('declined'), requestId: z.string().check(z.minLength(1), z.maxLength(64)), reason: z.enum(['no_camera', 'capture_failed', 'busy', 'too_large']) }),
  StillOffer,
  z.strictObject({ kind: z.literal('progress'), transferId: id, received: z.number().check(z.int(), z.gte(0), z.lte(MAX_CHUNKS)) }),
  z.strictObject({ kind: z.literal('resume'), transferId: id, missing: z.array(z.number().check(z.int(), z.gte(0), z.lte(MAX_CHUNKS - 1))).check(z.maxLength(MAX_CHUNKS)) }),
  z.strictObject({ kind: z.literal('done'), transferId: id, sha256: Sha256 }),
  z.strictObject({ kind: z.literal('error'), transferId: id, code: z.enum(['hash_mismatch', 'bad_chunk', 'timeout', 'too_large', 'busy', 'aborted', 'unknown_transfer']), message: z.string().check(z.maxLength(300)) }),
  z.strictObject({ kind: z.literal('abort'), transferId: id, reason: z.string().check(z.maxLength(300)) }),
]);
export type StillMsg = z.infer<typeof StillMsg>;

export const randomTransferId = (): number => {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return (a[0]! || 1) >>> 0;
};
