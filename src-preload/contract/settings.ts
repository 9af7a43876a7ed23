import { z } from 'zod';
import { defineChannels } from './types';

/**
 * Effective settings with where each came from. Enforced ones (machine or
 * user policy) are read-only: the UI marks them "managed by your
 * organisation" and main refuses writes to them (code 'forbidden').
 */
export const SettingSource = z.enum(['machine', 'userPolicy', 'recommended', 'user', 'default']);
export type SettingSource = z.infer<typeof SettingSource>;

export const SettingKeyName = z.string().min(1).max(80).regex(/^[a-zA-Z]+(\.[a-zA-Z]+)+$/);

/** Any JSON value a setting may hold (the manifest's schema in main decides what fits). */
const SettingValue: z.ZodType<unknown> = z.json();

export const EffectiveSettingView = z.object({
  key: SettingKeyName,
  policyName: z.string(),
  value: SettingValue,
  source: SettingSource,
  /** The file or registry key the value came from; null for built-in defaults. */
  origin: z.string().nullable(),
  enforced: z.boolean(),
  editable: z.boolean(),
  category: z.string(),
  kind: z.enum(['string', 'url', 'boolean', 'integer', 'enum', 'list', 'json']),
  options: z.array(z.string()).optional(),
  title: z.object({ en: z.string(), ja: z.string() }),
  description: z.object({ en: z.string(), ja: z.string() }),
});
export type EffectiveSettingView = z.infer<typeof EffectiveSettingView>;

export const settingsChannels = defineChannels({
  'settings:getEffective': { input: z.object({}).strict(), output: z.object({ settings: z.array(EffectiveSettingView), issues: z.array(z.object({ origin: z.string(), name: z.string().optional(), message: z.string() })) }) },
  /** Set (or with value null, clear) the user's own value of one setting. Refused with 'forbidden' when enforced or not user-settable. */
  'settings:set': { input: z.object({ key: SettingKeyName, value: SettingValue }).strict(), output: EffectiveSettingView },
});
