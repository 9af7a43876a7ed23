/**
 * OcrLanguages applied: main refuses to read (or warm a worker for) a
 * language the organisation turned off, whatever the page asks, and lets an
 * allowed one through to the reader.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { allowedOcrLangs } from '../../../src-main/ocr/lang-policy';
import { createRouter } from '../../../src-main/router';
import { createServices } from '../../../src-main/services';

const s = createServices(loadConfig({ dataDir: mkdtempSync(join(tmpdir(), 'ocr-langs-')), webHostPort: 0 }, {}), {
  log: createLogger({ sink: () => {} }),
  policy: { layers: [{ level: 'machine', origin: '/etc/visual-assist/policy.json', keyedBy: 'policyName', values: { OcrLanguages: ['jpn'] } }], issues: [] },
});
const router = createRouter(createHandlers(s));
afterAll(async () => { await s.close(); });
const sha = 'a'.repeat(64);

describe('OcrLanguages policy', () => {
  it('maps the policy to the languages offered', () => {
    expect(allowedOcrLangs(['eng', 'jpn'])).toEqual(['eng', 'jpn', 'eng+jpn']);
    expect(allowedOcrLangs(['jpn'])).toEqual(['jpn']);
    expect(allowedOcrLangs(['eng'])).toEqual(['eng']);
  });

  it('a language the policy leaves out is refused in main, for reading and for warming', async () => {
    for (const lang of ['eng', 'eng+jpn'] as const) {
      expect(await router.dispatch('ocr:readStill', { caseId: null, sha256: sha, lang, callStills: [], imageBase64: 'AAAAAAAAAAAAAAAA' }, { host: 'web' }))
        .toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/turned off by your organisation/) } });
      expect(await router.dispatch('ocr:warm', { lang }, { host: 'web' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('an allowed language goes on to the reader (which then judges the image)', async () => {
    const r = await router.dispatch('ocr:readStill', { caseId: null, sha256: sha, lang: 'jpn', callStills: [], imageBase64: 'AAAAAAAAAAAAAAAA' }, { host: 'web' });
    expect(r.ok).toBe(false);
    expect((r as { error: { code: string } }).error.code).not.toBe('forbidden');
    expect((r as { error: { message: string } }).error.message).not.toMatch(/organisation/);
  });
});
