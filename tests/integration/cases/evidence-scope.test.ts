/**
 * Evidence is reached only through the case it belongs to: a sha256 seen in
 * one customer's case (a log, a bundle, a guess) must not fetch another
 * customer's still through cases:getEvidence or have OCR read it through
 * ocr:readStill. Through the real router and case cache.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { createServices, type Services } from '../../../src-main/services';
import { pngBytes } from './fixtures/evidence-bytes';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
let services: Services | null = null;
afterEach(async () => { await services?.close(); services = null; });
const ctx = { host: 'web' as const };

async function twoCustomers() {
  const log = createLogger({ scope: 'test', level: 'error' });
  services = createServices(loadConfig({ dataDir: tmp(), agentId: 'agent-s', locale: 'en' }, {}), { log });
  const r = createRouter(createHandlers(services), { log });
  const make = async (name: string, phone: string, tag: string) => {
    const cu = await r.dispatch('customers:create', { name, phones: [phone] }, ctx) as { ok: true; value: { id: number } };
    const c = await r.dispatch('cases:create', { customerId: cu.value.id, subject: `${name}'s bill` }, ctx) as { ok: true; value: { id: number } };
    const bytes = pngBytes(tag);
    const put = await r.dispatch('cases:putEvidence', { caseId: c.value.id, mime: 'image/png', bytesBase64: bytes.toString('base64') }, ctx) as { ok: true; value: { sha256: string } };
    return { caseId: c.value.id, sha256: put.value.sha256, b64: bytes.toString('base64') };
  };
  return { r, ada: await make('Ada', '+14155550101', 'ada still'), bob: await make('Bob', '+14155550202', 'bob still') };
}

describe('evidence scoped to its case', () => {
  it('cases:getEvidence serves a still only through its own case', async () => {
    const { r, ada, bob } = await twoCustomers();
    expect(await r.dispatch('cases:getEvidence', { caseId: ada.caseId, sha256: ada.sha256 }, ctx)).toEqual({ ok: true, value: { sha256: ada.sha256, mime: 'image/png', bytesBase64: ada.b64 } });
    const cross = await r.dispatch('cases:getEvidence', { caseId: ada.caseId, sha256: bob.sha256 }, ctx);
    expect(cross).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(JSON.stringify(cross)).not.toContain(bob.b64);
    // Without a case the call is refused at the contract: there is no "any case" lookup left.
    expect(await r.dispatch('cases:getEvidence', { sha256: bob.sha256 } as never, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // A case that does not exist reaches nothing either.
    expect(await r.dispatch('cases:getEvidence', { caseId: 99_999, sha256: bob.sha256 }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('ocr:readStill will not read another case\'s still by its sha256', async () => {
    const { r, ada, bob } = await twoCustomers();
    const cross = await r.dispatch('ocr:readStill', { caseId: ada.caseId, sha256: bob.sha256, lang: 'eng', callStills: [] }, ctx);
    expect(cross).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Nothing was recorded in Ada's case from Bob's still.
    const view = await r.dispatch('cases:get', { caseId: ada.caseId }, ctx) as { ok: true; value: { events: Array<{ body: { type: string } }> } };
    expect(view.value.events.map((e) => e.body.type)).toEqual(['case_opened']);
  });
});
