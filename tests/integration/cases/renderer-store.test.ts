/**
 * The renderer's case store and session recorder against the real main-side
 * services and router (the same path the web host serves), in Node: the
 * bridge finds `window.workstation` and calls the router directly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { createServices, type Services } from '../../../src-main/services';
import type { WorkstationApi } from '../../../src-preload/api';
import { resetWorkstationForTests } from '../../../src-renderer/bridge/workstation';
import { casesStore, clearPop, getActiveCaseId, popByAni } from '../../../src-renderer/cases/store';
import { recordSessions } from '../../../src-renderer/cases/session-recorder';
import { createStore } from '../../../src-renderer/call/observable-store';
import type { ContextPacket } from '../../../signaling-server/protocol';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
let services: Services;

beforeEach(() => {
  const log = createLogger({ level: 'error', sink: () => {} });
  services = createServices(loadConfig({ dataDir: tmp(), agentId: 'agent-ui', locale: 'en' }, {}), { log });
  const router = createRouter(createHandlers(services), { log });
  const api: WorkstationApi = { invoke: (channel, input) => router.dispatch(channel, input, { host: 'web' }) as never };
  (globalThis as unknown as { window: unknown }).window = { workstation: api };
  resetWorkstationForTests();
  clearPop();
});
afterEach(async () => {
  await services.close();
  delete (globalThis as unknown as { window?: unknown }).window;
});

const until = async (cond: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 5));
  expect(await cond()).toBe(true);
};

const CONTEXT: ContextPacket = { browser: 'Chrome 140', os: 'Android 15', deviceClass: 'phone', screen: { width: 412, height: 915, dpr: 2.6 }, locale: 'ja-JP', timeZone: 'Asia/Tokyo' };

describe('renderer case store', () => {
  it('pops a known caller and opens their newest open case; an unknown one asks for a form', async () => {
    const s = services.cases.get();
    const cu = await s.createCustomer({ name: 'Ada', phones: ['+14155552671'] });
    await s.createCase({ customerId: cu.id, subject: 'older' });
    const newer = await s.createCase({ customerId: cu.id, subject: 'newer' });
    await popByAni('415-555-2671', 'telephony', 'call-9');
    const st = casesStore.get();
    expect(st.pop).toMatchObject({ kind: 'known', source: 'telephony', callId: 'call-9', customer: { name: 'Ada' } });
    expect(getActiveCaseId()).toBe(newer.id);
    expect(st.view?.case.subject).toBe('newer');

    await popByAni('212 555 0199', 'context');
    expect(casesStore.get().pop).toMatchObject({ kind: 'unknown', e164: '+12125550199', source: 'context' });
    expect(getActiveCaseId()).toBeNull();
  });

  it('lets the latest of two overlapping pops win', async () => {
    const s = services.cases.get();
    await s.createCustomer({ name: 'First', phones: ['+14155552671'] });
    await s.createCustomer({ name: 'Second', phones: ['+14155552672'] });
    const a = popByAni('+14155552671', 'telephony');
    const b = popByAni('+14155552672', 'telephony');
    await Promise.all([a, b]);
    expect(casesStore.get().pop).toMatchObject({ customer: { name: 'Second' } });
  });

  it('records the visual session (start, device context, end) in the active case', async () => {
    const s = services.cases.get();
    const cu = await s.createCustomer({ name: 'Ada', phones: ['+14155552671'] });
    const c = await s.createCase({ customerId: cu.id, subject: 'camera call' });
    const callStore = createStore({ phase: 'waiting', customer: null as { memberId: string; context: ContextPacket | null } | null, endedReason: null as string | null });
    const stop = recordSessions({ store: callStore });
    // Connected before any case is open: recorded once the pop opens one.
    callStore.set({ phase: 'connected', customer: { memberId: 'cust-1', context: CONTEXT } });
    await popByAni('+14155552671', 'context');
    await until(async () => (await s.history(c.id)).some((e) => e.body.type === 'context_packet'));
    callStore.set({ phase: 'ended', endedReason: 'customer_hangup' });
    await until(async () => (await s.history(c.id)).some((e) => e.body.type === 'session_ended'));
    stop();
    const types = (await s.history(c.id)).map((e) => e.body.type).reverse();
    expect(types).toEqual(['case_opened', 'session_started', 'context_packet', 'session_ended']);
    expect((await s.history(c.id))[0]!.body).toMatchObject({ type: 'session_ended', sessionId: 'cust-1', reason: 'customer_hangup' });
  });

  it('records the time from the link going out to the first frame, or why a session drew none', async () => {
    const s = services.cases.get();
    const cu = await s.createCustomer({ name: 'Ada', phones: ['+14155552671'] });
    const c = await s.createCase({ customerId: cu.id, subject: 'camera call' });
    await popByAni('+14155552671', 'telephony');
    type St = { phase: string; customer: { memberId: string; context: ContextPacket | null } | null; endedReason: string | null; invite: { roomId?: string; sentAt?: number } | null; firstFrameAt: number | null };
    const callStore = createStore<St>({ phase: 'waiting', customer: null, endedReason: null, invite: { roomId: 'room-1', sentAt: 1_000_000 }, firstFrameAt: null });
    const stop = recordSessions({ store: callStore });
    callStore.set({ phase: 'connected', customer: { memberId: 'cust-1', context: null } });
    callStore.set({ firstFrameAt: 1_002_345 });
    callStore.set({ phase: 'ended', endedReason: 'agent_hangup' });
    const ended = async () => (await s.history(c.id)).filter((e) => e.body.type === 'session_ended');
    await until(async () => (await ended()).length === 1);
    expect((await s.history(c.id)).find((e) => e.body.type === 'session_started')!.body).toMatchObject({ roomId: 'room-1', linkSentAt: 1_000_000 });
    expect((await ended())[0]!.body).toMatchObject({ sessionId: 'cust-1', firstFrameMs: 2345 });
    expect((await ended())[0]!.body).not.toHaveProperty('noFrameCause');
    // a second session on a new link: connected, but the customer left before any frame was drawn
    callStore.set({ phase: 'waiting', customer: null, endedReason: null, invite: { roomId: 'room-2', sentAt: 2_000_000 }, firstFrameAt: null });
    callStore.set({ phase: 'connected', customer: { memberId: 'cust-2', context: null } });
    await until(async () => (await s.history(c.id)).filter((e) => e.body.type === 'session_started').length === 2);
    callStore.set({ phase: 'ended', endedReason: 'customer_hangup' });
    await until(async () => (await ended()).length === 2);
    expect((await ended())[0]!.body).toMatchObject({ sessionId: 'cust-2', noFrameCause: 'customer_hangup' });
    expect((await ended())[0]!.body).not.toHaveProperty('firstFrameMs');
    stop();
  });

  it('a link the customer never joined from is a session with no frame, with why it ended', async () => {
    const s = services.cases.get();
    const cu = await s.createCustomer({ name: 'Ada', phones: ['+14155552671'] });
    const c = await s.createCase({ customerId: cu.id, subject: 'camera call' });
    await popByAni('+14155552671', 'telephony');
    type St = { phase: string; customer: { memberId: string; context: ContextPacket | null } | null; endedReason: string | null; invite: { roomId?: string; sentAt?: number } | null };
    const callStore = createStore<St>({ phase: 'waiting', customer: null, endedReason: null, invite: { roomId: 'room-9', sentAt: 5_000 } });
    const stop = recordSessions({ store: callStore });
    callStore.set({ phase: 'ended', endedReason: 'expired', invite: null });
    await until(async () => (await s.history(c.id)).some((e) => e.body.type === 'session_ended'));
    stop();
    const h = await s.history(c.id);
    expect(h.find((e) => e.body.type === 'session_started')!.body).toMatchObject({ sessionId: 'link-room-9', roomId: 'room-9', linkSentAt: 5_000 });
    expect(h.find((e) => e.body.type === 'session_ended')!.body).toMatchObject({ sessionId: 'link-room-9', noFrameCause: 'not_joined:expired', durationSec: 0 });
  });
});
