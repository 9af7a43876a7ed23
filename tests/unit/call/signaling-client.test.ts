import { describe, expect, it } from 'vitest';
import { drainSpreadMs, toWsUrl } from '../../../src-renderer/call/signaling-client';

describe('the signaling socket URL', () => {
  it('derives the signaling socket URL from the configured base URL', () => {
    expect(toWsUrl('http://127.0.0.1:7800')).toBe('ws://127.0.0.1:7800/ws');
    expect(toWsUrl('https://assist.example.com/')).toBe('wss://assist.example.com/ws');
    expect(toWsUrl('https://assist.example.com/sig/ws')).toBe('wss://assist.example.com/sig/ws');
  });
});

describe('leaving a draining node', () => {
  it('picks a point in the first half of the grace period, never past 10 s, never negative', () => {
    expect(drainSpreadMs(8000, 0)).toBe(0);
    expect(drainSpreadMs(8000, 0.999)).toBe(3996);
    expect(drainSpreadMs(120_000, 0.999)).toBe(9990);
    expect(drainSpreadMs(0, 0.5)).toBe(0);
    expect(drainSpreadMs(-5, 0.5)).toBe(0);
    // spread: a node's sockets do not all leave in the same instant
    const picks = new Set(Array.from({ length: 50 }, () => drainSpreadMs(30_000)));
    expect(picks.size).toBeGreaterThan(40);
  });
});
