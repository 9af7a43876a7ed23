import { z } from 'zod';
import { defineChannels } from './types';

export const UpdateStatusView = z.discriminatedUnion('state', [
  z.object({ state: z.literal('disabled') }),
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('checking') }),
  z.object({ state: z.literal('up_to_date'), checkedAt: z.number() }),
  /** installBy 'it': a per-machine install run by a standard user; IT deploys the update. */
  z.object({ state: z.literal('available'), version: z.string(), installBy: z.enum(['app', 'it']), checkedAt: z.number() }),
  z.object({ state: z.literal('downloaded'), version: z.string() }),
  z.object({ state: z.literal('error'), message: z.string() }),
]);

const View = z.object({ mode: z.enum(['default', 'manual', 'none']), status: UpdateStatusView });

export const updateChannels = defineChannels({
  'update:status': { input: z.object({}).strict(), output: View },
  /** "Check for updates": one request to the feed; answers disabled (no request) under UpdateMode none. */
  'update:check': { input: z.object({}).strict(), output: View },
  /** Install a downloaded update now (the installer shows its UI; never silent). */
  'update:install': { input: z.object({}).strict(), output: View },
});
