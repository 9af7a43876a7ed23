/**
 * The Audio* managed settings reach the agent's microphone processing:
 * enforced values lock it, a recommended value is the default, and the
 * settings panel and the microphone panel are one choice (the latest wins).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { createServices } from '../../../src-main/services';

const s = createServices(loadConfig({ dataDir: mkdtempSync(join(tmpdir(), 'audio-settings-')), webHostPort: 0 }, { VISUAL_ASSIST_POLICY: join(tmpdir(), 'no-such-credit-file.json') }), {
  log: createLogger({ sink: () => {} }),
  policy: {
    layers: [
      { level: 'machine', origin: '/etc/visual-assist/policy.json', keyedBy: 'policyName', values: { AudioEchoCancellation: false } },
      { level: 'recommended', origin: '/etc/visual-assist/policy.json (Recommended)', keyedBy: 'policyName', values: { AudioNoiseSuppression: false } },
    ],
    issues: [],
  },
});
const router = createRouter(createHandlers(s));
const ctx = { host: 'web' as const };
type Processing = { effective: Record<'echoCancellation' | 'noiseSuppression' | 'autoGainControl', boolean>; managed: string[] };
const processing = async (): Promise<Processing> => { const r = await router.dispatch('audio:getProcessing', {}, ctx); if (!r.ok) throw new Error(r.error.message); return r.value as Processing; };
afterAll(async () => { await s.close(); });

describe('Audio* settings and the microphone', () => {
  it('enforced is locked, recommended is the default, the rest is on', async () => {
    expect(await processing()).toEqual({ effective: { echoCancellation: false, noiseSuppression: false, autoGainControl: true }, managed: ['echoCancellation'] });
  });

  it('the settings panel and the microphone panel are one choice: the latest wins', async () => {
    expect(await router.dispatch('settings:set', { key: 'audio.noiseSuppression', value: true }, ctx)).toMatchObject({ ok: true });
    expect((await processing()).effective.noiseSuppression).toBe(true);
    expect(await router.dispatch('audio:setPrefs', { processing: { noiseSuppression: false } }, ctx)).toMatchObject({ ok: true });
    expect((await processing()).effective.noiseSuppression).toBe(false);
    expect(await router.dispatch('settings:set', { key: 'audio.noiseSuppression', value: true }, ctx)).toMatchObject({ ok: true });
    expect((await processing()).effective.noiseSuppression).toBe(true);
    // Cleared in settings: back to the organisation's recommended default.
    expect(await router.dispatch('settings:set', { key: 'audio.noiseSuppression', value: null }, ctx)).toMatchObject({ ok: true });
    expect((await processing()).effective.noiseSuppression).toBe(false);
  });

  it('an enforced key cannot be changed from either panel', async () => {
    expect(await router.dispatch('settings:set', { key: 'audio.echoCancellation', value: true }, ctx)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await router.dispatch('audio:setPrefs', { processing: { echoCancellation: true } }, ctx);
    expect(await processing()).toMatchObject({ effective: { echoCancellation: false }, managed: ['echoCancellation'] });
  });
});
