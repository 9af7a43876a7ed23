/**
 * The user's own settings and the effective view over them. Policy layers are
 * read once at start-up (sources.ts); the user's settings.json is re-read on
 * each call, so the effective view is always what the resolver says now.
 * Writes to an enforced setting, or to one the manifest does not let users
 * change (credit limits, feeds, certificates), are refused here in main,
 * whatever the renderer shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../json-file';
import { SETTINGS_BY_KEY, isSettingKey, type SettingKey } from '../policy/manifest';
import { coerce, resolvePolicy, type EffectivePolicy, type PolicySources } from '../policy/resolve';
import { readUserSettings, USER_SETTINGS_FILE } from '../policy/sources';

export class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(readonly code: 'forbidden' | 'invalid_argument' | 'not_found', message: string) { super(message); }
}

export interface SettingsService {
  effective(): EffectivePolicy;
  /** Set the user's value (null clears it); throws SettingsError when enforced, not user-settable or invalid. */
  set(key: string, value: unknown): Promise<EffectivePolicy['settings'][SettingKey]>;
  readonly sources: PolicySources;
  readonly file: string;
}

export function createSettingsService(dataDir: string, sources: PolicySources = { layers: [], issues: [] }): SettingsService {
  const file = join(dataDir, USER_SETTINGS_FILE);
  let chain: Promise<unknown> = Promise.resolve();
  const effective = (): EffectivePolicy => {
    const issues = [...sources.issues];
    const user = readUserSettings(file, issues);
    return resolvePolicy([...sources.layers.filter((l) => l.level !== 'user'), ...user], issues);
  };
  const readOwn = (): Record<string, unknown> => {
    try {
      const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch { return {}; }
  };
  return {
    sources,
    file,
    effective,
    set(key, value) {
      const run = async () => {
        if (!isSettingKey(key)) throw new SettingsError('not_found', `unknown setting ${key}`);
        const s = SETTINGS_BY_KEY.get(key)!;
        const now = effective().settings[key];
        if (now.enforced) throw new SettingsError('forbidden', `${key} is managed by your organisation (${now.origin})`);
        if (!s.userSettable) throw new SettingsError('forbidden', `${key} can only be set by policy`);
        const own = readOwn();
        if (value === null) delete own[key];
        else {
          const r = s.schema.safeParse(coerce(s, value));
          if (!r.success) throw new SettingsError('invalid_argument', `${key}: ${r.error.issues[0]?.message ?? 'invalid value'}`);
          own[key] = r.data;
        }
        await writeJsonAtomic(file, own);
        return effective().settings[key];
      };
      const p = chain.then(run, run);
      chain = p.catch(() => undefined);
      return p;
    },
  };
}
