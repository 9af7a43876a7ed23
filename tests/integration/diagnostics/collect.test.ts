/**
 * "Collect diagnostics" end to end through the router: a real case cache with
 * a customer, logs with a planted token, customer name, phone and e-mail, and
 * a machine policy; the archive is unpacked and searched for what must not be
 * there and checked for what must.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createLogRing } from '../../../src-main/diagnostics/log-ring';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { createServices, type Services } from '../../../src-main/services';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudC03IiwiZXhwIjo5OTk5OTk5OTk5fQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi14eXo';
const CRM_SECRET = 'crm-shared-secret-d41d8cd98f00b204e9800998ecf8427e';
let services: Services | undefined;
afterAll(async () => { await services?.close(); });

describe('collect diagnostics', () => {
  it('writes one archive with versions, policy with sources, logs, devices, call figures and database integrity; no secrets or customer data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-'));
    const ring = createLogRing(500, () => {});
    const log = createLogger({ sink: ring.sink, level: 'debug' });
    services = createServices(loadConfig({ dataDir: join(dir, 'data'), webHostPort: 0 }, {}), {
      log, recentLogs: ring.records, appVersion: '0.1.0',
      // An admin who put credentials in URLs: the archive keeps the hosts, not the secrets.
      policy: { layers: [{ level: 'machine', origin: '/etc/visual-assist/policy.json', keyedBy: 'policyName', values: { UpdateMode: 'none', CrmUrl: `https://crm.corp.example/api/cases?apikey=${CRM_SECRET}`, ProxyServer: 'http://proxyuser:Pr0xyPassw0rd@proxy.corp.example:8080' } }], issues: [] },
    });
    const router = createRouter(createHandlers(services), { log });
    const cases = services.cases.get();
    const cu = await cases.createCustomer({ name: 'Grace Hopper', phones: ['+1 415 555 2671'] });
    const kase = await cases.createCase({ customerId: cu.id, subject: 'Bill higher than expected' });
    await cases.appendEvent(kase.id, { type: 'note', text: 'Customer Grace Hopper says card 4111 1111 1111 1111 was charged twice' });
    await cases.appendEvent(kase.id, { type: 'session_started', sessionId: 'sess-1', media: 'camera' });
    await cases.appendEvent(kase.id, { type: 'session_ended', sessionId: 'sess-1', reason: 'hangup', durationSec: 312, firstFrameMs: 2100 });
    await cases.appendEvent(kase.id, { type: 'session_ended', sessionId: 'sess-2', reason: 'link_not_opened', durationSec: 0, noFrameCause: 'link_not_opened' });
    // What careless logging could leave behind.
    log.info('screen pop', { customerName: 'Grace Hopper', ani: '+14155552671', ms: 12 });
    log.warn(`CRM refused Bearer ${TOKEN} for (415) 555-2671 grace.hopper@example.com`, { token: TOKEN, status: 401 });
    log.error('outbox delivery failed', { error: `POST https://crm.example/api?key=${CRM_SECRET} failed`, attempts: 3 });
    log.warn('proxy refused https://proxyuser:Pr0xyPassw0rd@proxy.corp.example:8080/ for the CRM', { status: 407 });

    const r = await router.dispatch('diagnostics:collect', {
      devices: [{ kind: 'videoinput', label: 'Logitech BRIO (046d:085e)' }, { kind: 'audioinput', label: 'Jabra Evolve2 65' }],
      calls: [{ at: 1_764_000_000_000, width: 1280, height: 720, fps: 29.7, inboundKbps: 2400, rttMs: 38, recoveries: 0, path: 'relay' }],
    }, { host: 'web' });
    expect(r.ok).toBe(true);
    const out = (r as { ok: true; value: { file: string; entries: string[] } }).value;
    expect(out.file).toMatch(/diagnostics[\\/]visual-assist-diagnostics-.*\.tar\.gz$/);

    const x = mkdtempSync(join(tmpdir(), 'diag-x-'));
    await tar.x({ file: out.file, cwd: x });
    const [top] = readdirSync(x);
    const read = (n: string) => readFileSync(join(x, top!, n), 'utf8');
    expect(readdirSync(join(x, top!)).sort()).toEqual(['calls.json', 'database.json', 'devices.json', 'effective-policy.json', 'logs.txt', 'versions.json']);

    const all = readdirSync(join(x, top!)).map(read).join('\n');
    for (const leak of ['Grace Hopper', 'grace.hopper', '2671', '4155552671', TOKEN, TOKEN.slice(0, 20), CRM_SECRET, 'Pr0xyPassw0rd', 'proxyuser', '4111', 'Bill higher', 'sess-1']) expect(all, leak).not.toContain(leak);
    // Hosts stay, for IT to see which servers are meant.
    const settings = JSON.parse(read('effective-policy.json')).settings;
    expect(settings['crm.url'].value).toBe('https://crm.corp.example/api/cases?apikey=[redacted]');
    expect(settings['network.proxyServer'].value).toBe('http://[redacted]@proxy.corp.example:8080/');

    expect(JSON.parse(read('effective-policy.json')).settings['update.mode']).toEqual({ value: 'none', source: 'machine', origin: '/etc/visual-assist/policy.json', enforced: true });
    expect(JSON.parse(read('database.json'))).toEqual({ caseCache: { ok: true, messages: ['ok'] } });
    expect(JSON.parse(read('versions.json'))).toMatchObject({ app: '0.1.0', node: process.versions.node });
    expect(JSON.parse(read('devices.json'))).toEqual([{ kind: 'videoinput', label: 'Logitech BRIO (046d:085e)' }, { kind: 'audioinput', label: 'Jabra Evolve2 65' }]);
    const calls = JSON.parse(read('calls.json'));
    expect(calls.current[0]).toMatchObject({ rttMs: 38, path: 'relay' });
    // The last sessions from the case cache, newest first: figures and the app's own codes only.
    expect(calls.recent).toEqual([
      { at: expect.any(Number), durationSec: 0, firstFrameMs: null, reason: 'link_not_opened', noFrameCause: 'link_not_opened' },
      { at: expect.any(Number), durationSec: 312, firstFrameMs: 2100, reason: 'hangup', noFrameCause: null },
    ]);
    const logs = read('logs.txt');
    expect(logs).toContain('screen pop');
    expect(logs).toContain('"ms":12');
    expect(logs).toContain('"status":401');
    expect(logs).toContain('"customerName":"[redacted]"');
  });

  it('is refused when policy turns diagnostics off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-off-'));
    const s = createServices(loadConfig({ dataDir: join(dir, 'data'), webHostPort: 0 }, {}), {
      log: createLogger({ sink: () => {} }),
      policy: { layers: [{ level: 'machine', origin: 'HKLM\\Software\\Policies\\VisualAssist\\Workstation', keyedBy: 'policyName', values: { DiagnosticsEnabled: 0 } }], issues: [] },
    });
    const r = await createRouter(createHandlers(s)).dispatch('diagnostics:collect', {}, { host: 'web' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await s.close();
  });
});
