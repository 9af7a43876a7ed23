import { describe, expect, it } from 'vitest';
import { audioEncoding } from '../../../../src-renderer/call/quality/modes';
import { FULL_VOICE_BPS, VOICE_HOLD_MS, initialVoiceCap, nextVoiceCap } from '../../../../src-renderer/call/quality/voice-cap';

const LEAN = audioEncoding('audio').maxBitrateBps;

describe("the agent's voice on the customer's link", () => {
  it('starts at full speech quality and follows the mode the customer reports', () => {
    let s = initialVoiceCap();
    expect(s.capBps).toBe(FULL_VOICE_BPS);
    s = nextVoiceCap(s, 1000, 'low', 0);
    expect(s.capBps).toBe(audioEncoding('low').maxBitrateBps);
    s = nextVoiceCap(s, 2000, 'audio', 0);
    expect(s.capBps).toBe(LEAN);
    s = nextVoiceCap(s, 3000, 'hd', null);
    expect(s.capBps).toBe(FULL_VOICE_BPS);
  });

  it('goes lean on a lossy receiver report even while the status is held up, and holds it 20 s past the last one', () => {
    let s = nextVoiceCap(initialVoiceCap(), 0, 'hd', 0);
    // The data channel stalls (no fresh mode) and the customer's RTCP says 18 % of the agent's voice is lost.
    s = nextVoiceCap(s, 1000, null, 18);
    expect(s.capBps).toBe(LEAN);
    s = nextVoiceCap(s, 5000, null, 12);
    // A fresh HD status does not undo it while the loss is recent ...
    s = nextVoiceCap(s, 5000 + VOICE_HOLD_MS - 1, 'hd', 0);
    expect(s.capBps).toBe(LEAN);
    // ... and after 20 s without a lossy report the voice is full again.
    s = nextVoiceCap(s, 5000 + VOICE_HOLD_MS + 1, 'hd', null);
    expect(s.capBps).toBe(FULL_VOICE_BPS);
  });

  it('with no fresh status and no loss it keeps the last cap (no news is not good news)', () => {
    let s = nextVoiceCap(initialVoiceCap(), 0, 'audio', 0);
    s = nextVoiceCap(s, 60_000, null, null);
    expect(s.capBps).toBe(LEAN);
  });

  it('a few percent of loss (5 %) is not a reason to go lean', () => {
    const s = nextVoiceCap(initialVoiceCap(), 0, 'hd', 5);
    expect(s.capBps).toBe(FULL_VOICE_BPS);
  });
});
