import type { EffectiveSettingView } from '../../src-preload/contract/settings';
import { SETTINGS_BY_KEY } from '../policy/manifest';
import type { EffectiveSetting } from '../policy/resolve';
import { ApiFailure, type HandlersOf } from '../router';
import { SettingsError, type SettingsService } from './service';
import type { AudioPrefsStore } from '../audio/prefs-store';
import type { ProcessingKey } from '../../src-preload/contract/audio';

export function settingView(e: EffectiveSetting): EffectiveSettingView {
  const s = SETTINGS_BY_KEY.get(e.key)!;
  return {
    key: e.key, policyName: e.policyName, value: e.value, source: e.source, origin: e.origin, enforced: e.enforced, editable: e.editable,
    category: s.category, kind: s.kind, ...(s.options ? { options: s.options.map((o) => o.value) } : {}), title: s.title, description: s.description,
  };
}

export function createSettingsHandlers(s: { settings: SettingsService; audioPrefs?: AudioPrefsStore }): HandlersOf<'settings:getEffective' | 'settings:set'> {
  return {
    'settings:getEffective': () => {
      const eff = s.settings.effective();
      return { settings: Object.values(eff.settings).map(settingView), issues: eff.issues.map((i) => ({ origin: i.origin, ...(i.name ? { name: i.name } : {}), message: i.message })) };
    },
    'settings:set': async ({ key, value }) => {
      try {
        const saved = await s.settings.set(key, value);
        // The microphone panel keeps its own copy of the agent's processing choice: one choice, the latest, in both.
        const k = /^audio\.(echoCancellation|noiseSuppression|autoGainControl)$/.exec(key)?.[1] as ProcessingKey | undefined;
        if (k && s.audioPrefs) {
          const { [k]: _old, ...rest } = (await s.audioPrefs.get()).processing ?? {};
          await s.audioPrefs.set({ processing: value === null ? rest : { ...rest, [k]: saved.value as boolean } });
        }
        return settingView(saved);
      } catch (err) {
        if (err instanceof SettingsError) throw new ApiFailure(err.code, err.message);
        throw err;
      }
    },
  };
}
