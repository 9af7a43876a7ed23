/**
 * The 'stills' data-channel namespace: the agent asks for a full-resolution
 * still, the customer device captures it and sends it in checked binary
 * chunks; the agent verifies every chunk's index and length and the sha256 of
 * the whole before it accepts the still. Control messages are JSON (zod);
 * chunks are the messenger's binary frames under the same namespace.
 */
import { z } from 'zod';

export const STILLS_NS = 'stills';
/** Largest still accepted (a 12 MP JPEG at q 0.92 is ~3-6 MiB). */
export const MAX_STILL_BYTES = 16 * 1024 * 1024;
export const MAX_CHUNKS = 4096;
export const STILL_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type StillMime = (typeof STILL_MIMES)[number];
export type StillSource = 'camera' | 'file' | 'frame';

const id = z.number().int().min(1).max(0xffffffff);
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const StillOffer = z.object({
  kind: z.literal('offer'),
  transferId: id,
  requestId: z.string().max(64).optional(),
  bytes: z.number().int().min(1).max(MAX_STILL_BYTES),
  chunkSize: z.number().int().min(1024).max(256 * 1024),
  chunks: z.number().int().min(1).max(MAX_CHUNKS),
  sha256: Sha256,
  mime: z.enum(STILL_MIMES),
  width: z.number().int().min(1).max(20_000),
  height: z.number().int().min(1).max(20_000),
  source: z.enum(['camera', 'file']),
}).strict().refine((o) => o.chunks === Math.ceil(o.bytes / o.chunkSize), 'chunks must be ceil(bytes / chunkSize)');
export type StillOffer = z.infer<typeof StillOffer>;

export const StillMsg = z.union([
  z.object({ kind: z.literal('request'), requestId: z.string().min(1).max(64), preferMime: z.enum(STILL_MIMES).optional() }).strict(),
  /** The customer device is capturing (so the agent waits longer before falling back). */
  z.object({ kind: z.literal('accepted'), requestId: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('declined'), requestId: z.string().min(1).max(64), reason: z.enum(['no_camera', 'capture_failed', 'busy', 'too_large']) }).strict(),
  StillOffer,
  z.object({ kind: z.literal('progress'), transferId: id, received: z.number().int().min(0).max(MAX_CHUNKS) }).strict(),
  z.object({ kind: z.literal('resume'), transferId: id, missing: z.array(z.number().int().min(0).max(MAX_CHUNKS - 1)).max(MAX_CHUNKS) }).strict(),
  z.object({ kind: z.literal('done'), transferId: id, sha256: Sha256 }).strict(),
  z.object({ kind: z.literal('error'), transferId: id, code: z.enum(['hash_mismatch', 'bad_chunk', 'timeout', 'too_large', 'busy', 'aborted', 'unknown_transfer']), message: z.string().max(300) }).strict(),
  z.object({ kind: z.literal('abort'), transferId: id, reason: z.string().max(300) }).strict(),
]);
export type StillMsg = z.infer<typeof StillMsg>;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as unknown as ArrayBuffer);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const randomTransferId = (): number => {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return (a[0]! || 1) >>> 0;
};

/** Pixel size from the image header (PNG, JPEG, WebP); null if unknown. */
export function sniffImage(b: Uint8Array): { mime: StillMime; width: number; height: number } | null {
  if (b.length < 32) return null;
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { mime: 'image/png', width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) { i++; continue; }
      const m = b[i + 1]!;
      if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { i += 2; continue; }
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { mime: 'image/jpeg', height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
      i += 2 + ((b[i + 2]! << 8) | b[i + 3]!);
    }
    return null;
  }
  if (b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45) {
    const c = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
    const u24 = (o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
    if (c === 'VP8X') return { mime: 'image/webp', width: 1 + u24(24), height: 1 + u24(27) };
    if (c === 'VP8 ') return { mime: 'image/webp', width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff };
    if (c === 'VP8L') { const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24); return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }; }
  }
  return null;
}
