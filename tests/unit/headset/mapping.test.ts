import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { callView, ledReports, ledsFor, readControls, telephonyLayout, type CallView } from '../../../src-renderer/headset/model';
import { JABRA_LIKE, POLY_LIKE, TOGGLE_HOOK } from './layouts';
import { Rig } from './rig';

const hex = (d: Uint8Array) => [...d].map((b) => b.toString(16).padStart(2, '0')).join(' ');

describe('telephony layout from the report descriptor', () => {
  it('finds report ids and bit offsets of each control and LED (Jabra-like: one report id, pad bits, keypad array)', () => {
    const l = telephonyLayout(JABRA_LIKE)!;
    expect(l.inputs.hookSwitch).toEqual({ reportId: 2, bitOffset: 0, bitSize: 1, isAbsolute: true });
    expect(l.inputs.phoneMute).toEqual({ reportId: 2, bitOffset: 2, bitSize: 1, isAbsolute: false });
    expect(l.inputs.flash).toMatchObject({ reportId: 2, bitOffset: 3, isAbsolute: false });
    expect(l.inputs.redial).toMatchObject({ reportId: 2, bitOffset: 4 });
    expect(l.leds).toEqual({
      offHook: { reportId: 2, bitOffset: 0, bitSize: 1, isAbsolute: true },
      mute: { reportId: 2, bitOffset: 1, bitSize: 1, isAbsolute: true },
      ring: { reportId: 2, bitOffset: 2, bitSize: 1, isAbsolute: true },
      hold: { reportId: 2, bitOffset: 3, bitSize: 1, isAbsolute: true },
    });
    expect(l.outputBytes).toEqual({ 2: 1 });
  });

  it('Poly-like: a leading vendor byte shifts the inputs; LEDs live in a child collection; one item holds two LEDs', () => {
    const l = telephonyLayout(POLY_LIKE)!;
    expect(l.inputs.hookSwitch).toMatchObject({ reportId: 8, bitOffset: 8, isAbsolute: true });
    expect(l.inputs.flash).toMatchObject({ reportId: 8, bitOffset: 9, isAbsolute: false });
    expect(l.inputs.phoneMute).toMatchObject({ reportId: 8, bitOffset: 10, isAbsolute: true });
    expect(Object.fromEntries(Object.entries(l.leds).map(([k, f]) => [k, [f.reportId, f.bitOffset]]))).toEqual({ ring: [9, 0], offHook: [9, 1], mute: [9, 2], hold: [9, 4] });
  });

  it('a device without a telephony collection has no layout; a report of another id says nothing', () => {
    expect(telephonyLayout([{ usagePage: 0x0c, usage: 1 }])).toBeNull();
    const l = telephonyLayout(JABRA_LIKE)!;
    expect(readControls(l, 1, Uint8Array.of(0xff))).toEqual({});
    expect(readControls(l, 2, Uint8Array.of(0x05, 0x00))).toEqual({ hookSwitch: true, phoneMute: true, flash: false, redial: false });
  });
});

describe('LED report for each call state, byte for byte', () => {
  const states: Array<[string, CallView]> = [
    ['idle', { phase: 'idle', muted: false, held: false }],
    ['idle, muted', { phase: 'idle', muted: true, held: false }],
    ['ringing', { phase: 'ringing', muted: false, held: false }],
    ['active', { phase: 'active', muted: false, held: false }],
    ['active, muted', { phase: 'active', muted: true, held: false }],
    ['active, held', { phase: 'active', muted: false, held: true }],
    ['active, muted, held', { phase: 'active', muted: true, held: true }],
  ];
  const expected: Record<string, [string, string, string]> = {
    // [Jabra-like report 2, Poly-like report 9, toggle-hook report 0]
    'idle': ['00', '00', '00'],
    'idle, muted': ['02', '04', '01'],
    'ringing': ['04', '01', '00'],
    'active': ['01', '02', '02'],
    'active, muted': ['03', '06', '03'],
    'active, held': ['09', '12', '02'],
    'active, muted, held': ['0b', '16', '03'],
  };
  it.each(states)('%s', (name, view) => {
    const got = [JABRA_LIKE, POLY_LIKE, TOGGLE_HOOK].map((c) => ledReports(telephonyLayout(c)!, ledsFor(view)));
    expect(got.map((r) => r.length)).toEqual([1, 1, 1]);
    expect(got.map((r) => r[0]!.reportId)).toEqual([2, 9, 0]);
    expect(got.map((r) => hex(r[0]!.data))).toEqual(expected[name]);
  });
  it('the call view: a session in progress is off-hook, an offered contact rings, hold only while active', () => {
    expect(callView({ phase: 'connected', micMuted: true, held: true }, false)).toEqual({ phase: 'active', muted: true, held: true });
    expect(callView({ phase: 'waiting', micMuted: false }, true)).toEqual({ phase: 'active', muted: false, held: false });
    expect(callView({ phase: 'ready', micMuted: false }, true)).toEqual({ phase: 'ringing', muted: false, held: false });
    expect(callView({ phase: 'ended', micMuted: false, held: true }, false)).toEqual({ phase: 'idle', muted: false, held: false });
  });
});

describe('replayed report sequences', () => {
  it('Jabra-like: hook answers and ends, mute press toggles once, duplicates seconds apart do nothing', () => {
    const r = new Rig(JABRA_LIKE);
    r.appSets({ phase: 'ringing' });
    expect(hex(r.device.get(2)!)).toBe('04');
    expect(r.input(2, 0x01, 0x00)).toEqual([{ type: 'answer' }]); // lift: hook switch 1
    expect(hex(r.device.get(2)!)).toBe('01'); // off-hook LED echoed, ring off
    expect(r.input(2, 0x01, 0x00)).toEqual([]); // the same report again, 2 s later
    expect(r.input(2, 0x05, 0x00)).toEqual([{ type: 'setMuted', muted: true }]); // mute pressed
    expect(hex(r.device.get(2)!)).toBe('03'); // mute LED echoed at once
    expect(r.input(2, 0x05, 0x00)).toEqual([]); // a repeated "pressed" is not a second press
    expect(r.input(2, 0x01, 0x00)).toEqual([]); // released
    expect(r.input(2, 0x05, 0x00)).toEqual([{ type: 'setMuted', muted: false }]); // pressed again: a real change
    expect(r.input(2, 0x01, 0x00)).toEqual([]);
    expect(hex(r.device.get(2)!)).toBe('01');
    expect(r.input(2, 0x09, 0x00)).toEqual([{ type: 'toggleHold' }]); // flash
    expect(hex(r.device.get(2)!)).toBe('09');
    expect(r.input(2, 0x01, 0x00)).toEqual([]);
    expect(r.input(2, 0x00, 0x00)).toEqual([{ type: 'hangUp' }]); // hook down
    expect(hex(r.device.get(2)!)).toBe('00');
    expect(r.input(2, 0x00, 0x00)).toEqual([]); // duplicate on-hook
    expect(r.input(2, 0x00, 0x30)).toEqual([]); // keypad "3": not ours, nothing moves
    expect(r.actions.map((a) => a.type)).toEqual(['answer', 'setMuted', 'setMuted', 'toggleHold', 'hangUp']);
  });

  it('Jabra-like: lifting the hook with no call offered answers nothing and the device is told it is on-hook', () => {
    const r = new Rig(JABRA_LIKE);
    const before = r.sent.length;
    expect(r.input(2, 0x01, 0x00)).toEqual([]);
    expect(r.sent.length).toBe(before + 1);
    expect(r.led('offHook')).toBe(false);
  });

  it('the app ends the call: the LED goes off, and the device confirming on-hook is a duplicate, not a second hang-up', () => {
    const r = new Rig(JABRA_LIKE, { phase: 'active', muted: false, held: false });
    r.input(2, 0x01, 0x00);
    r.appSets({ phase: 'idle' }); // customer hung up
    expect(r.led('offHook')).toBe(false);
    expect(r.input(2, 0x00, 0x00)).toEqual([]);
    r.appSets({ phase: 'ringing' });
    expect(r.input(2, 0x01, 0x00)).toEqual([{ type: 'answer' }]); // same bytes as two reports ago, but a real change
  });

  it('Poly-like: absolute mute follows the device state; repeats are ignored; a software mute is echoed to the device', () => {
    const r = new Rig(POLY_LIKE, { phase: 'active', muted: false, held: false });
    expect(r.input(8, 0x00, 0x05)).toEqual([{ type: 'setMuted', muted: true }]); // vendor byte, hook 1, mute 1
    expect(r.input(8, 0x00, 0x05)).toEqual([]);
    expect(hex(r.device.get(9)!)).toBe('06');
    r.appSets({ muted: false }); // agent clicks Unmute
    expect(hex(r.device.get(9)!)).toBe('02');
    expect(r.input(8, 0x00, 0x01)).toEqual([]); // device followed the LED and reports unmuted
    expect(r.input(8, 0x00, 0x00)).toEqual([{ type: 'hangUp' }]);
  });

  it('toggle hook (relative): each press flips between answer and hang-up; report id 0', () => {
    const r = new Rig(TOGGLE_HOOK, { phase: 'ringing', muted: false, held: false });
    expect(r.input(0, 0x01)).toEqual([{ type: 'answer' }]);
    expect(r.input(0, 0x01)).toEqual([]);
    expect(r.input(0, 0x00)).toEqual([]);
    expect(r.input(0, 0x02)).toEqual([{ type: 'setMuted', muted: true }]);
    expect(r.input(0, 0x00)).toEqual([]);
    expect(r.input(0, 0x01)).toEqual([{ type: 'hangUp' }]);
  });
});

describe('hardware and software mute never disagree', () => {
  // hw: a press of the headset's mute button; stutter: the same, with the "pressed" report sent twice;
  // sw: the agent clicks Mute/Unmute; dup: the last report again; hookDup: an unchanged hook report.
  type Op = { kind: 'hw' | 'stutter' | 'sw' | 'dup' | 'hookDup' };
  const op = fc.constantFrom<Op>({ kind: 'hw' }, { kind: 'stutter' }, { kind: 'sw' }, { kind: 'dup' }, { kind: 'hookDup' });

  it.each([['Jabra-like (relative mute)', JABRA_LIKE], ['Poly-like (absolute mute)', POLY_LIKE]] as const)('%s: 1000 toggles in random order', (_n, layout) => {
    fc.assert(fc.property(fc.array(op, { minLength: 1000, maxLength: 1000 }), (ops) => {
      const r = new Rig(layout, { phase: 'active', muted: false, held: false });
      const jabra = layout === JABRA_LIKE;
      // The device: its own mute (absolute devices keep one, set from the Mute LED as the convention says).
      let devMute = false;
      // What the agent means: every press and every click flips it, nothing else does.
      let meant = false;
      let last: [number, number[]] = jabra ? [2, [0x01, 0x00]] : [8, [0x00, 0x01]];
      const send = (id: number, bytes: number[]) => { last = [id, bytes]; r.input(id, ...bytes); };
      for (const o of ops) {
        if (o.kind === 'hw' || o.kind === 'stutter') {
          meant = !meant;
          if (jabra) { send(2, [0x05, 0x00]); if (o.kind === 'stutter') send(2, [0x05, 0x00]); send(2, [0x01, 0x00]); }
          else { devMute = !devMute; send(8, [0x00, devMute ? 0x05 : 0x01]); if (o.kind === 'stutter') send(8, [0x00, devMute ? 0x05 : 0x01]); }
        } else if (o.kind === 'sw') {
          meant = !meant;
          r.appSets({ muted: !r.app.muted });
        } else if (o.kind === 'dup') {
          // A repeat is the device saying again what it last said: a relative device repeats its last
          // report (press or release); an absolute one repeats its current state.
          if (jabra) r.input(last[0], ...last[1]); else send(8, [0x00, devMute ? 0x05 : 0x01]);
        } else {
          r.input(jabra ? 2 : 8, ...(jabra ? [0x01, 0x00] : [0x00, devMute ? 0x05 : 0x01]));
        }
        if (!jabra) devMute = r.led('mute');
        if (r.app.muted !== meant || r.app.muted !== r.led('mute') || r.app.muted !== r.state.view.muted || r.app.phase !== 'active') return false;
      }
      return true;
    }), { numRuns: 20 });
  });
});
