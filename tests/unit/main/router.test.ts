import { describe, expect, it } from 'vitest';
import { createRouter, ApiFailure, type Handlers } from '../../../src-main/router';
import { memoryLogger } from '../../../src-main/log';
import type { AudioPrefs } from '../../../src-preload/contract/audio';

const prefs: AudioPrefs = { inputId: 'mic-1', inputLabel: 'USB headset', outputId: null, outputLabel: null };

function handlers(over: Partial<Record<keyof Handlers, unknown>> = {}): Handlers {
  return {
    'app:getSessionConfig': (_i, ctx) => ({
      agentId: 'a1', displayName: 'Ann', signalingUrl: 'http://127.0.0.1:7800', agentToken: 't', iceServers: [], host: ctx.host, locale: 'en',
    }),
    'audio:getPrefs': () => prefs,
    'audio:setPrefs': (patch) => ({ ...prefs, ...patch }),
    ...over,
  } as Handlers;
}

const ctx = { host: 'web' as const };

describe('router', () => {
  it('answers a known channel with the handler value', async () => {
    const r = await createRouter(handlers()).dispatch('audio:getPrefs', {}, ctx);
    expect(r).toEqual({ ok: true, value: prefs });
  });

  it('passes the host in the call context', async () => {
    const r = await createRouter(handlers()).dispatch('app:getSessionConfig', {}, { host: 'electron' });
    expect(r.ok && (r.value as { host: string }).host).toBe('electron');
  });

  it('refuses an unknown channel with unknown_channel', async () => {
    const r = await createRouter(handlers()).dispatch('fs:readFile', { path: '/etc/passwd' }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('does not treat Object.prototype names as channels', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const r = await createRouter(handlers()).dispatch(name, {}, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('refuses a bad argument with invalid_argument naming the field, and never calls the handler', async () => {
    let called = false;
    const router = createRouter(handlers({ 'audio:setPrefs': () => { called = true; return prefs; } }));
    const r = await router.dispatch('audio:setPrefs', { inputId: 42 }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_argument');
      expect(r.error.message).toContain('inputId');
    }
    expect(called).toBe(false);
  });

  it('refuses extra keys on strict inputs and a missing argument', async () => {
    const router = createRouter(handlers());
    expect(await router.dispatch('audio:setPrefs', { inputId: 'x', evil: true }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await router.dispatch('audio:getPrefs', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('turns a handler exception into internal, logs it, and leaks neither message nor stack', async () => {
    const log = memoryLogger();
    const router = createRouter(handlers({ 'audio:getPrefs': () => { throw new Error('EACCES /home/agent/secret.db'); } }), { log });
    const r = await router.dispatch('audio:getPrefs', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toContain('/home/agent');
    expect(JSON.stringify(r)).not.toMatch(/at .*\.ts/);
    expect(log.records.some((x) => x.level === 'error' && JSON.stringify(x.fields).includes('EACCES'))).toBe(true);
  });

  it('also catches a rejected promise', async () => {
    const router = createRouter(handlers({ 'audio:getPrefs': async () => { throw new TypeError('boom'); } }), { log: memoryLogger() });
    expect(await router.dispatch('audio:getPrefs', {}, ctx)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('lets a handler answer with a typed error through ApiFailure', async () => {
    const router = createRouter(handlers({ 'audio:getPrefs': () => { throw new ApiFailure('not_found', 'no prefs yet'); } }));
    expect(await router.dispatch('audio:getPrefs', {}, ctx)).toEqual({ ok: false, error: { code: 'not_found', message: 'no prefs yet' } });
  });

  it('refuses a handler result outside the contract with internal', async () => {
    const log = memoryLogger();
    const router = createRouter(handlers({ 'audio:getPrefs': () => ({ inputId: 7 }) }), { log });
    const r = await router.dispatch('audio:getPrefs', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(log.records.some((x) => x.msg.includes('outside the contract'))).toBe(true);
  });

  it('answers unavailable when a host lacks a handler instead of crashing', async () => {
    const h = handlers();
    delete (h as Partial<Handlers>)['audio:getPrefs'];
    expect(await createRouter(h).dispatch('audio:getPrefs', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
