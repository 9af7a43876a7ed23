import type { z } from 'zod';

/** One renderer → main call: a single argument object and a result, both zod-checked. */
export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export const defineChannels = <T extends Record<string, ChannelDef>>(defs: T): T => defs;

/** Typed error codes every channel may answer with (Signal Desktop style: results, not throws). */
export type ApiErrorCode =
  | 'unknown_channel'
  | 'invalid_argument'
  | 'forbidden_sender'
  /** The caller may not do this: e.g. a setting managed by the organisation's policy. */
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'internal'
  /** Web host only: missing or wrong per-launch secret. */
  | 'unauthorized'
  /** The case database is locked by another program past the busy timeout: nothing was written; try again. */
  | 'busy'
  /** The disk holding the case database is full: nothing was written. */
  | 'disk_full'
  | (string & {});

export interface ApiError { code: ApiErrorCode; message: string }
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };
