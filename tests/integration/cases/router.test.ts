import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createRouter } from '../../../src-main/router';
import { createServices, type Services } from '../../../src-main/services';
import { createLogger } from '../../../src-main/log';
import { useTempDirs } from './tmp';
import { pngBytes } from './fixtures/evidence-bytes';

const tmp = useTempDirs();
let services: Services | null = null;
afterEach(async () => { await services?.close(); services = null; });

function router() {
  const log = createLogger({ scope: 'test', level: 'error' });
  services = createServices(loadConfig({ dataDir: tmp(), agentId: 'agent-r', locale: 'en' }, {}), { log });
  return createRouter(createHandlers(services), { log });
}
const ctx = { host: 'web' as const };

describe('case channels through the shared router', () => {
  it('answers a screen pop, creates a customer and case, and appends through the contract', async () => {
    const r = router();
    expect(await r.dispatch('cases:screenPop', { ani: '415 555 2671' }, ctx)).toEqual({ ok: true, value: { kind: 'unknown', ani: '415 555 2671', e164: '+14155552671' } });
    const cu = await r.dispatch('customers:create', { name: 'Ada', phones: ['+14155552671'], account: { number: 'A1', plan: 'Basic', expectedMonthlyMinor: 2999, currency: 'USD' } }, ctx);
    expect(cu.ok).toBe(true);
    const customerId = (cu as { value: { id: number } }).value.id;
    const c = await r.dispatch('cases:create', { customerId, subject: 'no dial tone' }, ctx);
    const caseId = (c as { value: { id: number } }).value.id;
    const png = pngBytes('still').toString('base64');
    const ev = await r.dispatch('cases:putEvidence', { caseId, mime: 'image/png', bytesBase64: png }, ctx);
    expect(ev).toMatchObject({ ok: true, value: { bytes: 21 } });
    const sha256 = (ev as { value: { sha256: string } }).value.sha256;
    expect(await r.dispatch('cases:appendEvent', { caseId, event: { type: 'snapshot', sha256, mime: 'image/png', width: 2, height: 2 } }, ctx)).toMatchObject({ ok: true });
    // a technician guest's visit (three-way session) is part of the case; only a technician, only the four actions
    expect(await r.dispatch('cases:appendEvent', { caseId, event: { type: 'guest', action: 'joined', role: 'technician', name: 'Tess' } }, ctx)).toMatchObject({ ok: true });
    expect(await r.dispatch('cases:appendEvent', { caseId, event: { type: 'guest', action: 'joined', role: 'customer' } }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await r.dispatch('cases:appendEvent', { caseId, event: { type: 'guest', action: 'promoted', role: 'technician' } }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const got = await r.dispatch('cases:get', { caseId }, ctx) as { ok: true, value: { events: Array<{ body: { type: string, name?: string } }> } };
    expect(got.value.events.filter((e) => e.body.type === 'guest').map((e) => e.body.name)).toEqual(['Tess']);
    const pop = await r.dispatch('cases:screenPop', { ani: '+1 415 555 2671' }, ctx);
    expect(pop).toMatchObject({ ok: true, value: { kind: 'known', customer: { name: 'Ada' }, openCases: [{ id: caseId }] } });
    expect(await r.dispatch('cases:getEvidence', { caseId, sha256 }, ctx)).toEqual({ ok: true, value: { sha256, mime: 'image/png', bytesBase64: png } });
  });

  it('answers bad input and missing things with typed errors', async () => {
    const r = router();
    expect(await r.dispatch('cases:get', { caseId: 12345 }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await r.dispatch('cases:appendEvent', { caseId: 1, event: { type: 'note', text: 'x'.repeat(20_000) } }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await r.dispatch('cases:appendEvent', { caseId: 1, event: { type: 'disposition', disposition: { outcome: 'technician_dispatch', summary: 'x' } } }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringMatching(/parts-and-tools/) } });
    expect(await r.dispatch('cases:putEvidence', { caseId: 1, mime: 'image/png', bytesBase64: '@@@@' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await r.dispatch('cases:importBundle', { bundleName: '../etc' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await r.dispatch('cases:importBundle', { bundleName: 'nope' }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await r.dispatch('customers:create', { name: 'B', phones: ['not a number'] }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });
});
