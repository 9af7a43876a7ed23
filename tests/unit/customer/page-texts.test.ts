/** What the customer's plain-DOM page says in each state (view/texts.ts, stills/still-status.ts), in both languages. */
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../../src-renderer/i18n/index';
import { endedText, figureAttrs, invalidText, noticeText, statusText } from '../../../src-renderer/customer/view/texts';
import { stillPercent, stillStatusState, stillStatusText } from '../../../src-renderer/stills/still-status';

afterEach(() => setLocale('en'));

describe("the customer page's texts", () => {
  it('status line per phase and source, following the language', () => {
    expect(statusText({ phase: 'connected', source: 'camera' })).toBe('You are sharing your camera');
    expect(statusText({ phase: 'connected', source: 'screen' })).toBe('You are sharing your screen');
    expect(statusText({ phase: 'reconnecting', source: 'camera' })).toBe('Connection lost — reconnecting…');
    expect(statusText({ phase: 'ended', source: 'camera' })).toBe('');
    setLocale('ja');
    expect(statusText({ phase: 'connected', source: 'camera' })).toBe('カメラを共有しています');
  });

  it('refusals, endings and hand-off notices (with and without a name)', () => {
    expect(invalidText('used').title).toBe('This link has already been used');
    expect(endedText('agent_hangup')).toBe('The agent ended the call. Thank you.');
    expect(endedText(null)).toMatch(/^This session is over/);
    expect(noticeText({ kind: 'joined', role: 'technician', name: 'Tess' })).toMatch(/^Tess \(technician\) joined/);
    expect(noticeText({ kind: 'joined', role: 'technician' })).toMatch(/^A technician joined/);
    expect(noticeText({ kind: 'hold', video: 'paused' })).toMatch(/camera is paused/);
    setLocale('ja');
    expect(noticeText({ kind: 'transferred', name: 'Bob' })).toMatch(/^Bobが対応します/);
  });

  it('figures as data attributes, removed (null) while there are none', () => {
    expect(figureAttrs({ figures: null })).toEqual({ 'data-audio-in-bytes': null, 'data-audio-out-bytes': null, 'data-rtt-ms': null, 'data-path': null });
    const f = { audioInBytes: 10, audioOutBytes: 20, rttMs: null, localCandidateType: 'host' } as unknown as Parameters<typeof figureAttrs>[0]['figures'];
    expect(figureAttrs({ figures: f })).toEqual({ 'data-audio-in-bytes': 10, 'data-audio-out-bytes': 20, 'data-rtt-ms': '', 'data-path': 'host' });
  });

  it('a still on its way: state, percent (acked counts on the data channel) and the line shown', () => {
    const sending = { sending: { transferId: 1, sent: 30, acked: 50, total: 100, state: 'sending' as const, source: 'camera' as const }, last: null };
    expect(stillStatusState(sending)).toBe('sending');
    expect(stillPercent(sending, true)).toBe(50);
    expect(stillPercent(sending, false)).toBe(30);
    expect(stillStatusText(sending, { countAcked: true, bySource: true })).toBe('Sending a sharp photo to the agent… 50%');
    expect(stillStatusText(sending, { countAcked: false, bySource: false })).toBe('Sending your photo… 30%');
    expect(stillStatusText({ sending: null, last: { ok: true, width: 4000, height: 3000 } }, { countAcked: true, bySource: true })).toBe('Photo sent (4000×3000)');
    expect(stillStatusState({ sending: null, last: { ok: false, error: 'unreadable' } })).toBe('failed');
    expect(stillStatusText({ sending: null, last: { ok: false, error: 'unreadable' } }, { countAcked: true, bySource: true })).toBe('That file is not a picture we can read.');
    expect(stillStatusState({ sending: null, last: null })).toBe('idle');
  });
});
