import { z } from 'zod';
import { defineChannels } from './types';

/** What the renderer adds to the archive: device names (no ids) and the last calls' connection figures (numbers only). */
export const DiagnosticsDevice = z.object({ kind: z.enum(['audioinput', 'audiooutput', 'videoinput']), label: z.string().max(256) }).strict();
export const CallFiguresSample = z.object({
  at: z.number().int().nonnegative(),
  width: z.number().nullable(), height: z.number().nullable(), fps: z.number().nullable(),
  inboundKbps: z.number().nullable(), rttMs: z.number().nullable(), recoveries: z.number().int().nonnegative(),
  path: z.enum(['host', 'srflx', 'prflx', 'relay']).nullable(),
}).strict();

export const diagnosticsChannels = defineChannels({
  /** "Collect diagnostics": writes one .tar.gz in the data folder and answers where. Refused ('forbidden') when policy turns it off. */
  'diagnostics:collect': {
    input: z.object({ devices: z.array(DiagnosticsDevice).max(64).default([]), calls: z.array(CallFiguresSample).max(20).default([]) }).strict(),
    output: z.object({ file: z.string(), bytes: z.number().int(), entries: z.array(z.string()) }),
  },
});
