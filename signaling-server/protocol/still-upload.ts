/**
 * The still upload over HTTP: the way a customer's photo reaches the agent when
 * the call's data channel cannot open (a network that lets the page and its
 * socket through but no WebRTC path). The customer's page creates an upload
 * with the still's size and sha256, sends it in chunks that each say where they
 * start (so a dropped connection resumes from what the node holds), and the
 * node checks the whole against the sha256 before the agent is told; the agent
 * fetches it with its own bearer. Shared by the server and both pages.
 */
import { z } from './zod';

export const STILL_UPLOAD_PATH = '/stills';
/** /stills/<id>, /stills/<id>/status */
export const STILL_UPLOAD_ID = /^[A-Za-z0-9_-]{16,64}$/;
export const STILL_UPLOAD_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** The same bound as the data channel's stills. */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
/** Each PUT carries at most this; the page sends chunks of UPLOAD_CHUNK_BYTES. */
export const MAX_UPLOAD_CHUNK_BYTES = 256 * 1024;
export const UPLOAD_CHUNK_BYTES = 64 * 1024;

export const StillUploadMeta = z.strictObject({
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  bytes: z.number().check(z.int(), z.gte(1), z.lte(MAX_UPLOAD_BYTES)),
  mime: z.enum(STILL_UPLOAD_MIMES),
  width: z.number().check(z.int(), z.gte(1), z.lte(20_000)),
  height: z.number().check(z.int(), z.gte(1), z.lte(20_000)),
  source: z.enum(['camera', 'file']),
});
export type StillUploadMeta = z.infer<typeof StillUploadMeta>;

/** The node's answers (errors are `{error: {code, message}}` with these codes). */
export type StillUploadErrorCode =
  | 'unauthorized' | 'forbidden' | 'bad_request' | 'not_found' | 'too_large'
  | 'offset_mismatch' | 'hash_mismatch' | 'too_many' | 'method_not_allowed' | 'unavailable';
export const StillUploadStatus = z.object({ id: z.string(), received: z.number().check(z.int(), z.gte(0)), bytes: z.number().check(z.int(), z.gte(1)), done: z.boolean() });
export type StillUploadStatus = z.infer<typeof StillUploadStatus>;
