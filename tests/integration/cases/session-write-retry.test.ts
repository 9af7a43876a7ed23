/**
 * The visual session's events must not be dropped when the case file is
 * briefly locked by another program: the renderer retries, and when the
 * write still fails the agent is told (in English or Japanese) and can save
 * it again. Real router and case cache; the lock is a real second SQLite
 * connection holding BEGIN IMMEDIATE, as another program would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { createServices, type Services } from '../../../src-main/services';
import type { WorkstationApi } from '../../../src-preload/api';
import { resetWorkstationForTests } from '../../../src-renderer/bridge/workstation';
import { createStore } from '../../../src-renderer/call/observable-store';
import { failedWrites, setWriteRetryDelays } from '../../../src-renderer/cases/durable-write';
import { errorText } from '../../../src-renderer/cases/error-text';
import { t } from '../../../src-renderer/cases/messages';
import { recordSessions } from '../../../src-renderer/cases/session-recorder';
import { clearPop, popByAni } from '../../../src-renderer/cases/store';
import { setLocale } from '../../../src-renderer/i18n';
import type { ContextPacket } from '../../../signaling-server/protocol';
import { useRawDb } from './raw-db';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
const raw = useRawDb();
let services: Services;
/** Every appendEvent answer the renderer got, in order. */
let answers: string[];

beforeEach(() => {
  const log = createLogger({ level: 'error', sink: () => {} });
  services = createServices(loadConfig({ dataDir: tmp(), agentId: 'agent-ui', locale: 'en' }, {}), { log });
  const router = createRouter(createHandlers(services), { log });
  answers = [];
  const api: WorkstationApi = {
    invoke: async (channel, input) => {
      const r = await router.dispatch(channel, input, { host: 'web' });
      if (channel === 'cases:appendEvent') answers.push(r.ok ? 'ok' : (r as { error: { code: string } }).error.code);
      return r as never;
    },
  };
  (globalThis as unknown as { window: unknown }).window = { workstation: api };
  resetWorkstationForTests();
  clearPop();
  setWriteRetryDelays([100, 200, 300]);
  for (const w of failedWrites.get().items) w.dismiss();
});
afterEach(async () => {
  setLocale('en');
  await services.close();
  delete (globalThis as unknown as { window?: unknown }).window;
});

const until = async (cond: () => boolean | Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await cond()) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(await cond()).toBe(true);
};

const CONTEXT: ContextPacket = { browser: 'Chrome 140', os: 'Android 15', deviceClass: 'phone', screen: { width: 412, height: 915, dpr: 2.6 }, locale: 'ja-JP', timeZone: 'Asia/Tokyo' };

async function connectedCall() {
  const s = services.cases.get();
  const cu = await s.createCustomer({ name: 'Ada', phones: ['+14155552671'] });
  const c = await s.createCase({ customerId: cu.id, subject: 'camera call' });
  const callStore = createStore({ phase: 'waiting', customer: null as { memberId: string; context: ContextPacket | null } | null, endedReason: null as string | null });
  const stop = recordSessions({ store: callStore });
  await popByAni('+14155552671', 'context');
  const lock = raw(s.dbFile);
  return { s, c, callStore, stop, lock };
}
const types = async (s: Services['cases'] extends { get(): infer S } ? S : never, caseId: number) => (await s.history(caseId)).map((e) => e.body.type).reverse();

describe('session events survive a locked case file', () => {
  it('retries a session write refused as busy, and it lands once the lock is gone', async () => {
    const { s, c, callStore, stop, lock } = await connectedCall();
    lock.exec('BEGIN IMMEDIATE');
    callStore.set({ phase: 'connected', customer: { memberId: 'cust-1', context: CONTEXT } });
    await until(() => answers.includes('busy'));
    lock.exec('COMMIT');
    await until(async () => (await types(s, c.id)).includes('context_packet'));
    expect(await types(s, c.id)).toEqual(['case_opened', 'session_started', 'context_packet']);
    expect(failedWrites.get().items).toEqual([]);
    stop();
  });

  it('tells the agent when it still fails, keeps the write, and saves it on "Save again"', async () => {
    const { s, c, callStore, stop, lock } = await connectedCall();
    lock.exec('BEGIN IMMEDIATE');
    callStore.set({ phase: 'connected', customer: { memberId: 'cust-2', context: CONTEXT } });
    await until(() => failedWrites.get().items.length === 1, 30_000);
    const [w] = failedWrites.get().items;
    expect(w).toMatchObject({ kind: 'session', caseId: c.id, error: { code: 'busy' } });
    expect(answers.filter((a) => a === 'busy').length).toBe(4); // the first try and three retries
    // What the agent reads, in both languages.
    expect(t('writeFailedSession', { id: c.id, reason: errorText(w!.error) })).toMatch(new RegExp(`case #${c.id}.*in use by another program`));
    setLocale('ja');
    expect(t('writeFailedSession', { id: c.id, reason: errorText(w!.error) })).toMatch(new RegExp(`ケース #${c.id}.*別のプログラム`));
    setLocale('en');
    lock.exec('COMMIT');
    expect(await types(s, c.id)).toEqual(['case_opened']);
    await w!.retry();
    expect(failedWrites.get().items).toEqual([]);
    await until(async () => (await types(s, c.id)).includes('context_packet'));
    expect(await types(s, c.id)).toEqual(['case_opened', 'session_started', 'context_packet']);
    stop();
  }, 60_000);
});
