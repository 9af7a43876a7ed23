import type { HandlersOf } from '../router';
import type { AudioPolicy } from '../policy/policy';
import type { AudioPrefsStore } from './prefs-store';
import { effectiveProcessing } from './processing';

export function createAudioHandlers(s: { audioPrefs: AudioPrefsStore; audioPolicy?: () => AudioPolicy }): HandlersOf<'audio:getPrefs' | 'audio:setPrefs' | 'audio:getProcessing'> {
  return {
    'audio:getPrefs': () => s.audioPrefs.get(),
    'audio:setPrefs': (patch) => s.audioPrefs.set(patch),
    'audio:getProcessing': async () => effectiveProcessing(s.audioPolicy?.() ?? {}, (await s.audioPrefs.get()).processing ?? {}),
  };
}
