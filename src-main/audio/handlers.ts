import type { HandlersOf } from '../router';
import type { AudioPolicy } from '../policy/policy';
import type { AudioPrefsStore } from './prefs-store';
import { effectiveProcessing, PROCESSING_KEYS } from './processing';
import type { AudioProcessing } from '../../src-preload/contract/audio';
import type { EffectivePolicy } from '../policy/resolve';

export function createAudioHandlers(s: { audioPrefs: AudioPrefsStore; audioPolicy?: () => AudioPolicy; settings?: { effective(): EffectivePolicy } }): HandlersOf<'audio:getPrefs' | 'audio:setPrefs' | 'audio:getProcessing'> {
  /**
   * Below the agent's own choice in the microphone panel: the Audio* values of
   * the settings panel or of a recommended policy (managed settings), so a
   * "default users may change" really is the default the microphone gets.
   */
  const fromSettings = (): Partial<AudioProcessing> => {
    const eff = s.settings?.effective();
    if (!eff) return {};
    const out: Partial<AudioProcessing> = {};
    for (const k of PROCESSING_KEYS) {
      const e = eff.settings[`audio.${k}`];
      if (e.source === 'user' || e.source === 'recommended') out[k] = e.value;
    }
    return out;
  };
  return {
    'audio:getPrefs': () => s.audioPrefs.get(),
    'audio:setPrefs': (patch) => s.audioPrefs.set(patch),
    'audio:getProcessing': async () => effectiveProcessing(s.audioPolicy?.() ?? {}, { ...fromSettings(), ...(await s.audioPrefs.get()).processing }),
  };
}
