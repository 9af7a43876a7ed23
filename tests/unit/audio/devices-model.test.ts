import { describe, expect, it } from 'vitest';
import { defaultMoved, isPresent, micNeedsSwitch, pushRecent, resolveDevice } from '../../../src-renderer/audio/model/device-choice';
import { coalesce, type Timers } from '../../../src-renderer/audio/model/coalesce';
import { initialSilence, rmsDbfs, trackSilence } from '../../../src-renderer/audio/model/level';
import { noticeFor } from '../../../src-renderer/audio/model/switch-notice';

const dev = (deviceId: string, label: string, kind = 'audioinput') => ({ deviceId, label, kind });
const docked = [dev('default', 'Default - Jabra'), dev('jabra', 'Jabra Evolve2'), dev('desk', 'Desk mic'), dev('webcam', 'Webcam mic'), dev('spk', 'Speakers', 'audiooutput')];
const jabra = { id: 'jabra', label: 'Jabra Evolve2' };
const recent = [{ id: 'desk', label: 'Desk mic' }, { id: 'jabra', label: 'Jabra Evolve2' }];

describe('device choice as devices come and go', () => {
  it('the chosen headset while plugged; the next preferred when it is gone; the system default when none is', () => {
    expect(resolveDevice(docked, 'audioinput', jabra, recent)).toEqual({ deviceId: 'jabra', via: 'chosen' });
    const unplugged = docked.filter((d) => d.deviceId !== 'jabra');
    expect(resolveDevice(unplugged, 'audioinput', jabra, recent)).toEqual({ deviceId: 'desk', via: 'recent' });
    expect(resolveDevice(unplugged.filter((d) => d.deviceId !== 'desk'), 'audioinput', jabra, recent)).toEqual({ deviceId: null, via: 'default' });
    // Back with a new id (another USB port): found by its label.
    expect(resolveDevice([...unplugged, dev('jabra-2', 'Jabra Evolve2')], 'audioinput', jabra, recent)).toEqual({ deviceId: 'jabra-2', via: 'chosen' });
  });
  it('presence: a real id must be listed; "default" is present while any device of the kind is', () => {
    expect(isPresent(docked, 'audioinput', 'jabra')).toBe(true);
    expect(isPresent(docked, 'audioinput', 'gone')).toBe(false);
    expect(isPresent(docked, 'audioinput', 'default')).toBe(true);
    expect(isPresent([dev('spk', 'S', 'audiooutput')], 'audioinput', 'default')).toBe(false);
  });
  it('the live mic moves only when it is gone or a preferred device is back, not to churn a working default', () => {
    expect(micNeedsSwitch({ deviceId: null, via: 'default' }, 'default', true, false)).toBe(false);
    expect(micNeedsSwitch({ deviceId: null, via: 'default' }, 'jabra', false, false)).toBe(true);
    expect(micNeedsSwitch({ deviceId: 'jabra', via: 'chosen' }, 'default', true, false)).toBe(true);
    expect(micNeedsSwitch({ deviceId: 'jabra', via: 'chosen' }, 'jabra', true, false)).toBe(false);
    expect(micNeedsSwitch({ deviceId: 'jabra', via: 'chosen' }, 'jabra', true, true)).toBe(true);
  });
  it('a track on the system default moves when the OS moves its default (Windows/macOS labels), never on Linux\'s bare "Default"', () => {
    const win = (label: string) => [dev('default', `Default - ${label}`), dev('jabra', 'Jabra Evolve2'), dev('builtin', 'Microphone (Realtek)')];
    expect(defaultMoved(win('Jabra Evolve2'), 'audioinput', 'Default - Jabra Evolve2')).toBe(false);
    expect(defaultMoved(win('Microphone (Realtek)'), 'audioinput', 'Default - Jabra Evolve2')).toBe(true);
    // A track label without the prefix is the same device.
    expect(defaultMoved(win('Jabra Evolve2'), 'audioinput', 'Jabra Evolve2')).toBe(false);
    expect(defaultMoved([dev('default', 'Default'), dev('a', 'A')], 'audioinput', 'Default')).toBe(false);
    expect(defaultMoved([dev('default', ''), dev('a', '')], 'audioinput', '')).toBe(false);
    expect(defaultMoved([dev('a', 'A')], 'audioinput', 'Default - A')).toBe(false);
    // Only with no preference, and only for a track on the default: a chosen device is not abandoned for the OS.
    const none = { deviceId: null, via: 'default' as const };
    expect(micNeedsSwitch(none, 'default', true, false, true)).toBe(true);
    expect(micNeedsSwitch(none, 'default', true, false, false)).toBe(false);
    expect(micNeedsSwitch(none, 'jabra', true, false, true)).toBe(false);
    expect(micNeedsSwitch({ deviceId: 'jabra', via: 'chosen' }, 'jabra', true, false, true)).toBe(false);
  });
  it('recent list: most recent first, no repeats, bounded', () => {
    expect(pushRecent(recent, jabra)).toEqual([jabra, { id: 'desk', label: 'Desk mic' }]);
    expect(pushRecent([{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C' }], { id: 'd', label: 'D' }, 3).map((r) => r.id)).toEqual(['d', 'a', 'b']);
  });
});

describe('device-change bursts are coalesced', () => {
  function fakeTimers() {
    let now = 0;
    const pending: Array<{ at: number; fn: () => void; id: number }> = [];
    let seq = 0;
    const t: Timers & { advance(ms: number): void } = {
      now: () => now,
      set(fn, ms) { const id = ++seq; pending.push({ at: now + ms, fn, id }); return id; },
      clear(h) { const i = pending.findIndex((p) => p.id === h); if (i >= 0) pending.splice(i, 1); },
      advance(ms) {
        const end = now + ms;
        for (;;) {
          pending.sort((a, b) => a.at - b.at);
          const p = pending[0];
          if (!p || p.at > end) break;
          pending.shift(); now = p.at; p.fn();
        }
        now = end;
      },
    };
    return t;
  }
  it('five events 20 ms apart run the handler once, 120 ms after the last', () => {
    const t = fakeTimers();
    let runs = 0;
    const c = coalesce(() => runs++, { quietMs: 120, maxWaitMs: 350, timers: t });
    for (let i = 0; i < 5; i++) { c.trigger(); t.advance(20); }
    expect(runs).toBe(0);
    t.advance(100);
    expect(runs).toBe(1);
    t.advance(1000);
    expect(runs).toBe(1);
  });
  it('the live track ending does not wait for quiet: 30 ms, taking in the device events fired with it, and the burst start is handed on', () => {
    const t = fakeTimers();
    const at: Array<[number, number]> = [];
    const c = coalesce((first) => at.push([t.now(), first]), { timers: t });
    t.advance(1000);
    c.trigger(true); // the track's 'ended'
    c.trigger(); c.trigger(); c.trigger(); // the 'devicechange' burst right behind it
    t.advance(29);
    expect(at).toEqual([]);
    t.advance(1);
    expect(at).toEqual([[1030, 1000]]);
    // The next burst is an ordinary one again.
    c.trigger();
    t.advance(119);
    expect(at).toHaveLength(1);
    t.advance(1);
    expect(at).toEqual([[1030, 1000], [1150, 1030]]);
  });
  it('an endless burst still runs within maxWait of its first event', () => {
    const t = fakeTimers();
    const at: number[] = [];
    const c = coalesce(() => at.push(t.now()), { quietMs: 120, maxWaitMs: 350, timers: t });
    for (let i = 0; i < 40; i++) { c.trigger(); t.advance(50); }
    expect(at[0]).toBe(350);
    expect(at.length).toBeGreaterThanOrEqual(5);
  });
});

describe('level meter (pure part)', () => {
  const sine = (amp: number, hz: number, n = 2048, rate = 48000) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
  it('a sine of peak 0.1 reads -20 dBFS (AES17); full scale reads 0; silence the floor', () => {
    expect(rmsDbfs(sine(0.1, 1000))).toBeCloseTo(-20, 1);
    expect(rmsDbfs(sine(1, 440))).toBeCloseTo(0, 1);
    expect(rmsDbfs(new Float32Array(2048))).toBe(-100);
  });
  it('"no input" after three seconds below -60 dBFS; any sound clears it at once', () => {
    let s = initialSilence;
    s = trackSilence(s, -90, 0);
    s = trackSilence(s, -90, 2900);
    expect(s.noInput).toBe(false);
    s = trackSilence(s, -85, 3000);
    expect(s.noInput).toBe(true);
    s = trackSilence(s, -30, 3100);
    expect(s).toEqual({ silentSince: null, noInput: false });
    s = trackSilence(s, -70, 3200);
    expect(s.noInput).toBe(false);
  });
});

describe('what the agent is told when devices move', () => {
  const at = 1;
  it('a headset (mic and sound moved together) is one notice; the less good destination is the one said', () => {
    expect(noticeFor([{ kind: 'input', via: 'default', at }, { kind: 'output', via: 'default', at: 2 }])).toEqual({ what: 'headset', via: 'default', at: 2 });
    expect(noticeFor([{ kind: 'input', via: 'chosen', at }, { kind: 'output', via: 'default', at }])).toMatchObject({ what: 'headset', via: 'default' });
    expect(noticeFor([{ kind: 'input', via: 'chosen', at }, { kind: 'output', via: 'chosen', at }])).toMatchObject({ what: 'headset', via: 'chosen' });
  });
  it('the mic or the speaker alone says which; the ringer alone says nothing', () => {
    expect(noticeFor([{ kind: 'input', via: 'recent', at }])).toMatchObject({ what: 'mic', via: 'recent' });
    expect(noticeFor([{ kind: 'output', via: 'default', at }, { kind: 'ringer', via: 'default', at }])).toMatchObject({ what: 'speaker', via: 'default' });
    expect(noticeFor([{ kind: 'ringer', via: 'default', at }])).toBeNull();
    expect(noticeFor([])).toBeNull();
  });
});
