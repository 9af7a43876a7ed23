/**
 * The WebHID glue in Node: a stand-in navigator.hid with one Jabra-like
 * device (no headset can be plugged in here), a stand-in call with the
 * AgentCall methods the link uses, and the real IncomingContact. Checks the
 * reports the device is sent, the actions taken, and that a headset pulled
 * out and plugged back in is opened again and told the call's state.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore } from '../../../src-renderer/call/observable-store';
import { IncomingContact, RING_TIMEOUT_MS } from '../../../src-renderer/agent/incoming';
import { HeadsetLink } from '../../../src-renderer/headset/headset-link';
import type { HIDDeviceLike, HIDLike } from '../../../src-renderer/headset/webhid-types';
import { JABRA_LIKE } from './layouts';

function fakeCall() {
  const store = createStore({ phase: 'ready', micMuted: false, held: false } as { phase: string; micMuted: boolean; held: boolean });
  const pops = new Set<(ani: string, source: 'telephony' | 'context', callId?: string) => void>();
  const call = {
    store,
    get state() { return store.get(); },
    newSession: vi.fn(() => store.set({ phase: 'waiting' })),
    hangUp: vi.fn(() => store.set({ phase: 'ended', held: false })),
    setMicMuted: vi.fn((m: boolean) => store.set({ micMuted: m })),
    setHeld: vi.fn((h: boolean) => store.set({ held: h })),
    onScreenPop(fn: (ani: string, source: 'telephony' | 'context', callId?: string) => void) { pops.add(fn); return () => pops.delete(fn); },
    pop(ani: string) { for (const f of pops) f(ani, 'telephony', 'c1'); },
  };
  return call;
}

function fakeHid() {
  const sent: string[] = [];
  const device: HIDDeviceLike & { opened: boolean; open: ReturnType<typeof vi.fn> } = Object.assign(new EventTarget(), {
    opened: false, vendorId: 0x0b0e, productId: 1, productName: 'Jabra-like', collections: JABRA_LIKE,
    open: vi.fn(async () => { device.opened = true; }),
    close: async () => { device.opened = false; },
    sendReport: async (id: number, data: BufferSource) => { sent.push(`${id}:${[...new Uint8Array(data as Uint8Array)].map((b) => b.toString(16).padStart(2, '0')).join('')}`); },
  });
  let plugged = true;
  const hid = Object.assign(new EventTarget(), {
    getDevices: async () => (plugged ? [device] : []),
    requestDevice: async () => [device],
  }) as HIDLike;
  const press = (reportId: number, ...bytes: number[]) => device.dispatchEvent(Object.assign(new Event('inputreport'), { device, reportId, data: new DataView(Uint8Array.from(bytes).buffer) }));
  const unplug = () => { plugged = false; device.opened = false; hid.dispatchEvent(Object.assign(new Event('disconnect'), { device })); };
  const replug = () => { plugged = true; hid.dispatchEvent(Object.assign(new Event('connect'), { device })); };
  return { device, hid, sent, press, unplug, replug };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => { vi.useRealTimers(); });

describe('headset link (WebHID glue)', () => {
  it('drives the LEDs from the call, answers with the hook switch, mutes with the button, hangs up, and reopens a re-plugged headset', async () => {
    const call = fakeCall();
    const incoming = new IncomingContact(call);
    const h = fakeHid();
    const link = new HeadsetLink(call, incoming, h.hid);
    await link.start();
    await flush();
    expect(link.store.get().device).toBe('Jabra-like');
    expect(h.sent).toEqual(['2:00']);

    call.pop('+15551234567');
    await flush();
    expect(h.sent.at(-1)).toBe('2:04'); // ring
    h.press(2, 0x01, 0x00); // off-hook
    await flush();
    expect(call.newSession).toHaveBeenCalledTimes(1);
    expect(h.sent.at(-1)).toBe('2:01');

    h.press(2, 0x05, 0x00); h.press(2, 0x05, 0x00); h.press(2, 0x01, 0x00);
    await flush();
    expect(call.setMicMuted.mock.calls).toEqual([[true]]);
    expect(h.sent.at(-1)).toBe('2:03');

    // Pulled out and plugged back in mid-call: opened again and told the state (off-hook, muted).
    h.unplug();
    expect(link.store.get().device).toBeNull();
    h.replug();
    await flush(); await flush();
    expect(h.device.open).toHaveBeenCalledTimes(2);
    expect(link.store.get().device).toBe('Jabra-like');
    expect(h.sent.at(-1)).toBe('2:03');

    h.press(2, 0x00, 0x00); // on-hook
    await flush();
    expect(call.hangUp).toHaveBeenCalledTimes(1);
    expect(h.sent.at(-1)).toBe('2:02'); // idle, still muted (mute is the app's, kept across calls)
    await link.dispose();
    incoming.dispose();
  });

  it('the app refusing what the headset asked puts the LEDs back on the app\'s state', async () => {
    const call = fakeCall();
    call.setHeld.mockImplementation(() => {}); // e.g. hold refused: the session ended a moment before
    const incoming = new IncomingContact(call);
    const h = fakeHid();
    const link = new HeadsetLink(call, incoming, h.hid);
    await link.start();
    call.store.set({ phase: 'connected' });
    await flush();
    expect(h.sent.at(-1)).toBe('2:01');
    h.press(2, 0x09, 0x00); // Flash (with the hook still off)
    await flush();
    expect(call.setHeld).toHaveBeenCalledWith(true);
    // First the echo of the press (the convention), then the app's real state: not held.
    expect(h.sent.slice(-2)).toEqual(['2:09', '2:01']);
    await link.dispose();
    incoming.dispose();
  });

  it('an offered contact stops ringing when a session starts some other way, when dismissed, or after 30 s', () => {
    vi.useFakeTimers();
    const call = fakeCall();
    const incoming = new IncomingContact(call);
    call.pop('1');
    expect(incoming.store.get()).toMatchObject({ ringing: true, ani: '1' });
    call.store.set({ phase: 'waiting' });
    expect(incoming.store.get().ringing).toBe(false);
    call.pop('2'); // busy: a contact offered during a session does not ring
    expect(incoming.store.get().ringing).toBe(false);
    call.store.set({ phase: 'ended' });
    call.pop('3');
    incoming.dismiss();
    expect(incoming.store.get().ringing).toBe(false);
    call.pop('4');
    vi.advanceTimersByTime(RING_TIMEOUT_MS - 1);
    expect(incoming.store.get().ringing).toBe(true);
    vi.advanceTimersByTime(1);
    expect(incoming.store.get().ringing).toBe(false);
    incoming.answer(); // nothing to answer
    expect(call.newSession).not.toHaveBeenCalled();
    incoming.dispose();
  });
});
