import type { HandlersOf } from '../router';
import type { AudioPrefsStore } from './prefs-store';

export function createAudioHandlers(s: { audioPrefs: AudioPrefsStore }): HandlersOf<'audio:getPrefs' | 'audio:setPrefs'> {
  return {
    'audio:getPrefs': () => s.audioPrefs.get(),
    'audio:setPrefs': (patch) => s.audioPrefs.set(patch),
  };
}
