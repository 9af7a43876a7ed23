import { describe, expect, it } from 'vitest';
import { LAUNCH_MIN_MS, SIDE_AGENT_MAX_MODE, launchOver, modeFor, worse } from '../../../../src-renderer/call/quality/launch';
import { NEED_KBPS } from '../../../../src-renderer/call/quality/modes';

const base = { connectedForMs: LAUNCH_MIN_MS, availableKbps: NEED_KBPS.hd, mode: 'hd' as const, pinned: false, billReading: false };

describe('a new link launches at 360p and goes to its mode when the link carries it', () => {
  it('is still launching before it has connected, or sooner than LAUNCH_MIN_MS after', () => {
    expect(launchOver({ ...base, connectedForMs: null })).toBe(false);
    expect(launchOver({ ...base, connectedForMs: LAUNCH_MIN_MS - 1 })).toBe(false);
  });

  it('ends once connected long enough with an estimate that carries the mode', () => {
    expect(launchOver(base)).toBe(true);
    expect(launchOver({ ...base, availableKbps: NEED_KBPS.hd - 1 })).toBe(false);
    expect(launchOver({ ...base, availableKbps: null })).toBe(false);
    // a link the ladder has already put in SD needs only SD's estimate
    expect(launchOver({ ...base, mode: 'sd', availableKbps: NEED_KBPS.sd })).toBe(true);
  });

  it('does not hold back a pinned mode or a bill being read (resolution from the first frame)', () => {
    expect(launchOver({ ...base, connectedForMs: null, pinned: true })).toBe(true);
    expect(launchOver({ ...base, connectedForMs: null, billReading: true })).toBe(true);
  });
});

describe('what each of the customer\'s links sends', () => {
  it('a second agent beside the main one gets at most SD; the main link and technicians the ladder\'s mode', () => {
    expect(SIDE_AGENT_MAX_MODE).toBe('sd');
    expect(modeFor('agent', 'hd')).toBe('sd');
    expect(modeFor('agent', 'low')).toBe('low');
    expect(modeFor('agent', 'audio')).toBe('audio');
    expect(modeFor('main', 'hd')).toBe('hd');
    expect(modeFor('technician', 'hd')).toBe('hd');
    expect(worse('hd', 'stills')).toBe('stills');
  });
});
