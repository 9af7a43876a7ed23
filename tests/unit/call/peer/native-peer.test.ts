/**
 * The customer's native answerer (src-renderer/call/peer/native-peer.ts)
 * against a real simple-peer initiator (peer.ts, as the agent runs it), both
 * in Debian's Chromium: offer/answer, pending candidates, data both ways
 * (text and binary), the answerer's extra tracks (transceiver request and
 * renegotiation), ICE restart from either side, destroy on either side.
 * Every signal goes through JSON and the wire's SignalData schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { openHarnessPage, type HarnessPage } from '../../../support/harness-page';

const root = resolve(import.meta.dirname, '../../../..');
let harness: HarnessPage;

beforeAll(async () => {
  // as vite.config.ts: simple-peer's logger replaced by a no-op
  harness = await openHarnessPage(join(import.meta.dirname, 'native-peer.page.ts'), { debug: join(root, 'src-renderer/call/peer/quiet-debug.ts') });
}, 60_000);

afterAll(async () => { await harness?.close(); });

const run = <T>(name: string, arg?: unknown): Promise<T> => harness.run<T>(name, arg);

describe('native answering peer against a simple-peer initiator (Chromium)', () => {
  it('answers, connects, and carries text and binary data both ways and the camera', async () => {
    const r = await run<Record<string, unknown>>('basic');
    expect(r.errors).toEqual([]);
    expect(r.bEvents).toContain('connect');
    expect(r.aEvents).toContain('connect');
    expect(r.bConnected).toBe(true);
    expect(r.pairSucceeded).toBe(true);
    expect(r.aData).toEqual(['hi', [250, 0, 7]]);
    expect(r.bData).toEqual(['hello', [1, 2, 3]]);
    expect(r.aTracks).toEqual(['video']);
    expect(r.aEvents).toContain('stream');
    expect(r.bSignalTypes).toEqual(expect.arrayContaining(['answer', 'candidate']));
    expect(r.answerHasStartBitrate).toBe(true);
    expect(typeof r.queued).toBe('number');
    expect(r.queued).toBeGreaterThanOrEqual(0);
  });

  it('gets its extra tracks to the initiator: a transceiver request after the answer, a renegotiate request for a track added live', async () => {
    const r = await run<{ bSignalTypes: string[], aTracks: string[], errors: string[] }>('answererTracks');
    expect(r.errors).toEqual([]);
    expect(r.bSignalTypes).toContain('transceiverRequest');
    expect(r.bSignalTypes).toContain('renegotiate');
    expect(r.bSignalTypes.filter((t) => t === 'answer').length).toBeGreaterThanOrEqual(3);
    expect(r.aTracks).toContain('audio');
    expect(r.aTracks.filter((k) => k === 'video')).toHaveLength(2);
  });

  it('follows an ICE restart from the initiator and asks for a new offer when restarting itself', async () => {
    const r = await run<Record<string, unknown>>('iceRestart');
    expect(r.errors).toEqual([]);
    expect(r.ufragChanged).toBe(true);
    expect(r.renegotiateAsked).toBe(true);
    expect(['connected', 'completed']).toContain(r.ice);
    expect(r.aEvents).not.toContain('close');
    expect(r.bEvents).not.toContain('close');
  });

  it('closes when the initiator is destroyed (its channel closes)', async () => {
    const r = await run<Record<string, unknown>>('destroy', 'initiator');
    expect(r.goneEvents).toContain('close');
    expect(r.survivorEvents).toContain('close');
    expect(r.survivorConnected).toBe(false);
    expect(r.bState).toBe('closed');
    // the channel's abort may be reported on the way, as simple-peer does; nothing else
    expect((r.survivorErrors as string[]).filter((c) => c !== 'ERR_DATA_CHANNEL')).toEqual([]);
  });

  it('when destroyed, closes its connection and the initiator loses its channel', async () => {
    const r = await run<Record<string, unknown>>('destroy', 'answerer');
    expect(r.goneEvents).toContain('close');
    expect(r.goneErrors).toEqual([]);
    expect(r.bPcNull).toBe(true);
    expect(r.bState).toBe('closed');
    expect(r.survivorConnected).toBe(false);
  });

  it('ends with a typed error on a signal of no known kind, and refuses to offer', async () => {
    expect(await run('badSignal')).toEqual({ errors: ['ERR_SIGNALING'], destroyed: true });
    expect(await run('initiatorRefused')).toMatch(/only the answering side/);
  });
});
