import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIO_PREFS_FILE, createAudioPrefsStore, DEFAULT_AUDIO_PREFS } from '../../../src-main/audio/prefs-store';
import { createAudioHandlers } from '../../../src-main/audio/handlers';
import { memoryLogger } from '../../../src-main/log';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'va-audio-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('audio prefs store', () => {
  it('starts with nothing chosen', async () => {
    expect(await createAudioPrefsStore(dir, memoryLogger()).get()).toEqual(DEFAULT_AUDIO_PREFS);
  });

  it('remembers the chosen mic and speaker across a restart', async () => {
    const first = createAudioPrefsStore(dir, memoryLogger());
    await first.set({ inputId: 'mic-1', inputLabel: 'USB headset' });
    await first.set({ outputId: 'spk-2', outputLabel: 'Speakers' });
    const second = createAudioPrefsStore(dir, memoryLogger());
    expect(await second.get()).toEqual({ inputId: 'mic-1', inputLabel: 'USB headset', outputId: 'spk-2', outputLabel: 'Speakers' });
  });

  it('keeps the last of two quick writes and leaves no temp files', async () => {
    const store = createAudioPrefsStore(dir, memoryLogger());
    await Promise.all([store.set({ inputId: 'a' }), store.set({ inputId: 'b' })]);
    expect((await createAudioPrefsStore(dir, memoryLogger()).get()).inputId).toBe('b');
    expect(await readdir(dir)).toEqual([AUDIO_PREFS_FILE]);
  });

  it('null clears a remembered device', async () => {
    const store = createAudioPrefsStore(dir, memoryLogger());
    await store.set({ inputId: 'a', inputLabel: 'A' });
    expect(await store.set({ inputId: null })).toMatchObject({ inputId: null, inputLabel: 'A' });
  });

  it('falls back to defaults and logs when the file is corrupt, then repairs it on the next save', async () => {
    await writeFile(join(dir, AUDIO_PREFS_FILE), '{"inputId": "mic-1", ');
    const log = memoryLogger();
    const store = createAudioPrefsStore(dir, log);
    expect(await store.get()).toEqual(DEFAULT_AUDIO_PREFS);
    expect(log.records.some((r) => r.level === 'warn' && r.msg.includes('not valid JSON'))).toBe(true);
    await store.set({ outputId: 'spk' });
    expect(JSON.parse(await readFile(join(dir, AUDIO_PREFS_FILE), 'utf8'))).toMatchObject({ outputId: 'spk' });
  });

  it('falls back to defaults when the file is JSON of the wrong shape', async () => {
    await writeFile(join(dir, AUDIO_PREFS_FILE), JSON.stringify({ inputId: 12, outputId: ['x'] }));
    const log = memoryLogger();
    expect(await createAudioPrefsStore(dir, log).get()).toEqual(DEFAULT_AUDIO_PREFS);
    expect(log.records.some((r) => r.msg.includes('schema'))).toBe(true);
  });

  it('creates the data dir on first save', async () => {
    const nested = join(dir, 'a', 'b');
    await createAudioPrefsStore(nested, memoryLogger()).set({ inputId: 'm' });
    expect(JSON.parse(await readFile(join(nested, AUDIO_PREFS_FILE), 'utf8')).inputId).toBe('m');
  });

  it('handlers read and write through the store', async () => {
    const h = createAudioHandlers({ audioPrefs: createAudioPrefsStore(dir, memoryLogger()) });
    const ctx = { host: 'web' as const };
    await h['audio:setPrefs']({ inputId: 'mic-9' }, ctx);
    expect((await h['audio:getPrefs']({}, ctx)).inputId).toBe('mic-9');
  });
});
