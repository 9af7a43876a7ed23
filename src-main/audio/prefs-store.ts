/**
 * The agent's remembered microphone and speaker/headset. Device ids change
 * across browser sessions and hosts, so the label is kept too and the renderer
 * matches by id first, then by label. Stored as one small JSON file in the
 * data dir (see ../json-file.ts for why writes are atomic).
 */
import { join } from 'node:path';
import { AudioPrefs } from '../../src-preload/contract/audio';
import { readJsonOr, writeJsonAtomic } from '../json-file';
import type { Logger } from '../log';

export const AUDIO_PREFS_FILE = 'audio-prefs.json';
export const DEFAULT_AUDIO_PREFS: AudioPrefs = { inputId: null, inputLabel: null, outputId: null, outputLabel: null };

export interface AudioPrefsStore {
  get(): Promise<AudioPrefs>;
  /** Merge a partial update (null clears a field) and persist it; returns the stored prefs. */
  set(patch: Partial<AudioPrefs>): Promise<AudioPrefs>;
  readonly file: string;
}

export function createAudioPrefsStore(dataDir: string, log: Logger): AudioPrefsStore {
  const file = join(dataDir, AUDIO_PREFS_FILE);
  let cached: AudioPrefs | undefined;
  // Writes are chained so two quick setPrefs calls land in order.
  let chain: Promise<unknown> = Promise.resolve();

  const load = async (): Promise<AudioPrefs> => {
    if (!cached) cached = await readJsonOr(file, AudioPrefs, { ...DEFAULT_AUDIO_PREFS }, log);
    return cached;
  };

  return {
    file,
    get: () => load().then((p) => ({ ...p })),
    set(patch) {
      const next = chain.then(async () => {
        const merged = AudioPrefs.parse({ ...(await load()), ...patch });
        await writeJsonAtomic(file, merged);
        cached = merged;
        return { ...merged };
      });
      chain = next.catch(() => {});
      return next;
    },
  };
}
