import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveProcessing } from '../../../src-main/audio/processing';
import { audioPolicySource } from '../../../src-main/audio/policy-source';
import { createAudioHandlers } from '../../../src-main/audio/handlers';
import { createAudioPrefsStore } from '../../../src-main/audio/prefs-store';
import { loadPolicy } from '../../../src-main/policy/policy';
import { memoryLogger } from '../../../src-main/log';
import type { WorkstationConfig } from '../../../src-main/config';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'va-audio-proc-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('audio processing: on by default, the agent may turn a key off, policy wins and locks it', () => {
  it('defaults', () => {
    expect(effectiveProcessing({}, {})).toEqual({ effective: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, managed: [] });
  });
  it('the agent\'s choice applies where policy is silent; a managed key overrides it', () => {
    expect(effectiveProcessing({ autoGainControl: false }, { autoGainControl: true, noiseSuppression: false })).toEqual({
      effective: { echoCancellation: true, noiseSuppression: false, autoGainControl: false }, managed: ['autoGainControl'],
    });
  });
  it('the policy file\'s audio keys are read; a wrong type is refused like any bad policy (credits restrictive, no audio key managed)', async () => {
    const p = join(dir, 'policy.json');
    await writeFile(p, JSON.stringify({ audio: { echoCancellation: false, noiseSuppression: true } }));
    expect(loadPolicy(p).audio()).toEqual({ echoCancellation: false, noiseSuppression: true });
    expect(loadPolicy(p).credits('USD').limitWithoutApprovalMinor).toBe(50000);
    await writeFile(p, JSON.stringify({ audio: { echoCancellation: 'no' } }));
    const bad = loadPolicy(p);
    expect(bad.error).toMatch(/audio\.echoCancellation/);
    expect(bad.audio()).toEqual({});
    await writeFile(p, JSON.stringify({ audio: { volume: 3 } }));
    expect(loadPolicy(p).error).toMatch(/audio/);
  });
  it('audio:getProcessing answers from the data dir\'s policy file and the stored choice', async () => {
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ audio: { noiseSuppression: false } }));
    const audioPrefs = createAudioPrefsStore(dir, memoryLogger());
    await audioPrefs.set({ processing: { echoCancellation: false, noiseSuppression: true } });
    const h = createAudioHandlers({ audioPrefs, audioPolicy: audioPolicySource({ dataDir: dir } as WorkstationConfig, {}) });
    expect(await h['audio:getProcessing']({}, { host: 'web' })).toEqual({
      effective: { echoCancellation: false, noiseSuppression: false, autoGainControl: true }, managed: ['noiseSuppression'],
    });
  });
});
