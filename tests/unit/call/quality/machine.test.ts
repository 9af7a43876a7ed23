import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, fitMode, initialState, pin, setBillReading, shownMode, step, type QualityReading, type QualityState } from '../../../../src-renderer/call/quality/machine';
import { MODES, hasLiveVideo, scaleFor, videoEncoding, type Mode } from '../../../../src-renderer/call/quality/modes';
import { lossPct, readQuality } from '../../../../src-renderer/call/quality/reading';

/** A reading a second. */
type Reading = Omit<QualityReading, "at">;
const GOOD: Reading = { availableKbps: 2500, lossPct: 0, rttMs: 40, limitation: 'none', freezes: 0 };

interface Trace { t: number; mode: Mode; shown: Mode; reason: string }

/** Replays `seconds` readings from `make(t)` (t in seconds since the start of this segment). */
function replay(s: QualityState, from: number, seconds: number, make: (t: number, s: QualityState) => Reading, log: Trace[] = []): QualityState {
  for (let i = 0; i < seconds; i++) {
    const at = (from + i) * 1000;
    s = step(s, { at, ...make(i, s) });
    if (!log.length || log[log.length - 1]!.mode !== s.mode) log.push({ t: from + i, mode: s.mode, shown: shownMode(s), reason: s.reason });
  }
  return s;
}

/** A link of `kbps`: under 2 Mbit/s the encoder reports itself short of bandwidth (what Chromium does when the estimate caps it). */
const link = (kbps: number, extra: Partial<Reading> = {}): ((t: number) => Reading) => () => ({ ...GOOD, availableKbps: kbps, limitation: kbps < 2000 ? 'bandwidth' : 'none', ...extra });

describe('quality mode machine', () => {
  it('is serialisable: a state survives JSON and goes on the same way', () => {
    let a = initialState(0);
    a = replay(a, 0, 10, link(300));
    const b = JSON.parse(JSON.stringify(a)) as QualityState;
    const ra = replay(a, 10, 20, link(300, { lossPct: 12 }));
    const rb = replay(b, 10, 20, link(300, { lossPct: 12 }));
    expect(rb).toEqual(ra);
  });

  it('stays in HD on a good link', () => {
    const s = replay(initialState(0), 0, 120, () => GOOD);
    expect(s.mode).toBe('hd');
    expect(s.changes).toBe(0);
  });

  it('a low estimate with nothing else wrong is a sender with little to send, not a bad link', () => {
    // A still bill on a perfect link: the encoder needs 500 kbit/s and the estimate stays near it.
    const s = replay(initialState(0), 0, 60, () => ({ ...GOOD, availableKbps: 700 }));
    expect(s.mode).toBe('hd');
    // The same estimate after a fall from 2.5 Mbit/s is a link that shrank.
    const t = replay(replay(initialState(0), 0, 5, () => GOOD), 5, 6, () => ({ ...GOOD, availableKbps: 700 }));
    expect(t.mode).toBe('sd');
  });

  it('a single bad second does not step down (3 of 4 needed)', () => {
    const s = replay(initialState(0), 0, 30, (t) => (t === 10 || t === 15 ? { ...GOOD, availableKbps: 100, limitation: 'bandwidth' } : GOOD));
    expect(s.mode).toBe('hd');
  });

  it('steps down after a few bad seconds, straight to what the estimate can carry', () => {
    const log: Trace[] = [];
    let s = replay(initialState(0), 0, 5, () => GOOD, log);
    s = replay(s, 5, 6, link(280), log);
    expect(s.mode).toBe('low');
    expect(s.reason).toBe('bandwidth');
    const down = log.find((x) => x.mode === 'low')!;
    expect(down.t - 5).toBeLessThanOrEqual(3);
    expect(log.map((x) => x.mode)).toEqual(['hd', 'low']); // no walk through SD
  });

  it('a collapse (estimate under half the need) steps down after 2 bad readings; a mild shortfall after 3', () => {
    const firstChange = (kbps: number) => {
      const log: Trace[] = [];
      replay(replay(initialState(0), 0, 5, () => GOOD, log), 5, 10, link(kbps), log);
      return log[1]!.t - 5;
    };
    expect(firstChange(300)).toBe(1); // readings at 5 and 6
    expect(firstChange(800)).toBe(2); // readings at 5, 6 and 7
  });

  it('each rung down: HD -> SD -> low -> stills -> photo -> audio by the estimate', () => {
    const seen: Mode[] = [];
    let s = initialState(0);
    let t = 0;
    for (const kbps of [700, 200, 100, 70, 30]) {
      s = replay(s, t, 8, link(kbps));
      t += 8;
      seen.push(s.mode);
    }
    expect(seen).toEqual(['sd', 'low', 'stills', 'photo', 'audio']);
    for (const m of ['sd', 'low', 'stills', 'photo', 'audio'] as const) expect(fitMode({ sd: 700, low: 200, stills: 100, photo: 70, audio: 30 }[m])).toBe(m);
  });

  it('heavy loss steps down one rung at a time even when the estimate is high', () => {
    let s = replay(initialState(0), 0, 6, link(2500, { lossPct: 15 }));
    expect(s.mode).toBe('sd');
    expect(s.reason).toBe('loss');
    s = replay(s, 6, 6, link(2500, { lossPct: 15 }));
    expect(s.mode).toBe('low');
  });

  it('5 % random loss alone is not bad (it only stops the climb)', () => {
    let s = replay(initialState(0), 0, 8, link(250));
    expect(s.mode).toBe('low');
    s = replay(s, 8, 120, link(2500, { lossPct: 5 }));
    expect(s.mode).toBe('low');
    expect(s.changes).toBe(1);
  });

  it('freezes the receiver reports step live video down; round trips far over the call\'s lowest do too', () => {
    let s = replay(initialState(0), 0, 3, () => GOOD);
    s = replay(s, 3, 5, link(2500, { freezes: 1 }));
    expect(s.mode).toBe('sd');
    expect(s.reason).toBe('freezes');
    s = replay(s, 8, 4, link(2500, { rttMs: 2000 }));
    expect(s.mode).toBe('low');
    expect(s.reason).toBe('rtt');
  });

  it('at the lowest live rung, freezes alone keep live video (a 5 % loss link stutters but stays live)', () => {
    let s = replay(initialState(0), 0, 8, link(250));
    expect(s.mode).toBe('low');
    s = replay(s, 8, 30, link(250, { freezes: 1, lossPct: 5 }));
    expect(s.mode).toBe('low');
    // The link's own figures still do.
    s = replay(s, 38, 5, link(60, { freezes: 1 }));
    expect(hasLiveVideo(s.mode)).toBe(false);
  });

  it('a busy device (CPU limitation) does not step down (the encoder adapts itself) but holds the climb', () => {
    let s = replay(initialState(0), 0, 60, link(2500, { limitation: 'cpu' }));
    expect(s.mode).toBe('hd');
    s = replay(initialState(0), 0, 8, link(250));
    expect(s.mode).toBe('low');
    s = replay(s, 8, 60, link(2500, { limitation: 'cpu' }));
    expect(s.mode).toBe('low');
  });

  it('steps back up one rung at a time after longer good stretches, as probes that are kept', () => {
    const log: Trace[] = [];
    let s = replay(initialState(0), 0, 8, link(250), log);
    expect(s.mode).toBe('low');
    s = replay(s, 8, 60, () => GOOD, log);
    expect(s.mode).toBe('hd');
    const ups = log.filter((x) => x.reason === 'recovered');
    expect(ups.map((x) => x.mode)).toEqual(['sd', 'hd']);
    // Each climb waited at least the up wait of good readings.
    expect(ups[0]!.t - log[1]!.t).toBeGreaterThanOrEqual(DEFAULT_CONFIG.upAfterMs / 1000);
    expect(s.probeFrom).toBeNull();
  });

  it('from a mode without live video the probe goes to low directly', () => {
    let s = replay(initialState(0), 0, 8, link(30));
    expect(s.mode).toBe('audio');
    // The estimate stays near what audio alone sends; loss and round trip are fine.
    let t = 8;
    while (s.mode === 'audio' && t < 40) s = replay(s, t++, 1, link(40));
    expect(s.mode).toBe('low');
    expect(s.reason).toBe('recovered');
    expect(shownMode(s)).toBe('audio'); // still a probe: the customer is not told yet
    s = replay(s, t, 8, link(300));
    expect(s.mode).toBe('low');
    expect(shownMode(s)).toBe('low');
  });

  it('after minutes of failed probes on a 40 kbit/s link, probes from voice only wait at most 32 s, so a recovered network gets live video back within 45 s', () => {
    // Each probe to low on the narrow link fails: the estimate collapses while the video tries to go.
    const log: Trace[] = [];
    let s = replay(initialState(0), 0, 8, link(30), log);
    s = replay(s, 8, 240, (_t, st) => (hasLiveVideo(st.mode) ? { ...GOOD, availableKbps: 20, limitation: 'bandwidth', lossPct: 15 } : { ...GOOD, availableKbps: 40, limitation: 'none' }), log);
    expect(hasLiveVideo(shownMode(s))).toBe(false);
    expect(s.upAfterMs).toBeGreaterThan(DEFAULT_CONFIG.upAfterMs); // the back-off grew ...
    const probes = log.filter((x) => x.mode === 'low').map((x) => x.t);
    expect(probes.length).toBeGreaterThanOrEqual(5);
    // ... but never past 32 s of good readings plus the probe and settle times between probes.
    expect(Math.max(...probes.slice(1).map((t, i) => t - probes[i]!))).toBeLessThanOrEqual(45);
    // The limit lifts: the voice-only estimate rises (what GoogCC shows an app-limited sender), then video carries.
    const back = replay(s, 248, 45, (_t, st) => (hasLiveVideo(st.mode) ? { ...GOOD, availableKbps: 1500, limitation: 'none' } : { ...GOOD, availableKbps: 95, limitation: 'none' }));
    expect(shownMode(back)).toBe('low');
  });

  it('never flaps: a link that cannot hold the next rung gets ever rarer probes', () => {
    // The link carries low (250 kbit/s) but not SD: each probe to SD reads the same 250 (bandwidth-limited).
    const log: Trace[] = [];
    let s = replay(initialState(0), 0, 8, link(250), log);
    expect(s.mode).toBe('low');
    // The encoder is short of bandwidth in SD (its 450 kbit/s cap over a 250 kbit/s link), not in low.
    s = replay(s, 8, 600, (_t, st) => ({ ...GOOD, availableKbps: 250, limitation: st.mode === 'sd' ? 'bandwidth' : 'none' }), log);
    const probes = log.filter((x) => x.mode === 'sd');
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.length).toBeLessThanOrEqual(12);
    const gaps = probes.slice(1).map((p, i) => p.t - probes[i]!.t);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThanOrEqual(Math.min(gaps[i - 1]!, 60));
    expect(gaps.at(-1)!).toBeGreaterThanOrEqual(60);
    // The customer is never told about the probes.
    expect(log.every((x) => x.shown === 'low' || x.shown === 'hd')).toBe(true);
    expect(s.mode).toBe('low');
  });

  it('a link that is bad 5 s in every 10 never climbs back between its bad spells', () => {
    const log: Trace[] = [];
    replay(initialState(0), 0, 300, (t) => (Math.floor(t / 5) % 2 === 0 ? GOOD : { ...GOOD, lossPct: 20 }), log);
    expect(log.some((x) => x.reason === 'recovered')).toBe(false);
    // Only ever down: each mode index at least the one before.
    for (let i = 1; i < log.length; i++) expect(modeIndexOf(log[i]!.mode)).toBeGreaterThan(modeIndexOf(log[i - 1]!.mode));
  });

  it('an estimate swinging between 2.5 Mbit/s and 300 kbit/s every 5 s is not followed', () => {
    const log: Trace[] = [];
    const s = replay(initialState(0), 0, 600, (t) => (Math.floor(t / 5) % 2 === 0 ? GOOD : { ...GOOD, availableKbps: 300, limitation: 'bandwidth' }), log);
    // Low holds all the time and SD only half of it: climbs to SD are tried ever more rarely.
    const climbs = log.filter((x) => x.reason === 'recovered').map((x) => x.t);
    const gaps = climbs.slice(1).map((t, i) => t - climbs[i]!);
    expect(climbs.length).toBeLessThanOrEqual(12);
    expect(gaps.slice(-3).every((g) => g >= 60)).toBe(true);
    expect(log.every((x) => x.mode !== 'stills')).toBe(true);
    expect(['low', 'sd']).toContain(s.mode);
  });

  it('the pin holds a mode whatever the readings; the advice says what the link would take; unpin follows the advice', () => {
    let s = pin(initialState(0), 'hd', 0);
    s = replay(s, 0, 20, link(70));
    expect(s.mode).toBe('hd');
    expect(s.pinned).toBe('hd');
    expect(s.advice).toBe('photo');
    s = pin(s, null, 20_000);
    expect(s.mode).toBe('photo');
    expect(s.reason).toBe('unpinned');
    // Pinning audio on a good link keeps audio.
    s = pin(s, 'audio', 21_000);
    s = replay(s, 21, 60, () => GOOD);
    expect(s.mode).toBe('audio');
    expect(s.changes).toBeGreaterThan(0);
  });

  it('bill reading keeps the rung and trades frame rate for resolution', () => {
    let s = replay(initialState(0), 0, 8, link(250));
    s = setBillReading(s, true);
    expect(s.mode).toBe('low');
    const talk = videoEncoding('low', false);
    const bill = videoEncoding('low', true);
    expect(bill.maxBitrateBps).toBe(talk.maxBitrateBps);
    expect(bill.maxHeight).toBeGreaterThanOrEqual(720);
    expect(bill.maxFramerate).toBeLessThan(talk.maxFramerate);
    expect(bill.degradationPreference).toBe('maintain-resolution');
    expect(scaleFor(720, bill.maxHeight)).toBe(1);
    expect(scaleFor(720, talk.maxHeight)).toBe(4);
    for (const m of MODES.slice(3)) expect(videoEncoding(m, true).active).toBe(false);
  });

  it('replays a recorded trace: 300 kbit/s + 5 % loss, then 50 kbit/s, then the limit lifts', () => {
    const log: Trace[] = [];
    let s = replay(initialState(0), 0, 5, () => GOOD, log);
    // Shaped: the estimate falls over a few seconds as GoogCC sees the queue.
    s = replay(s, 5, 20, (t) => ({ ...GOOD, availableKbps: Math.max(230, 1500 - t * 400), lossPct: 5, rttMs: 120, limitation: 'bandwidth' }), log);
    expect(s.mode).toBe('low');
    expect(log.find((x) => x.mode !== 'hd')!.t).toBeLessThan(5 + 10);
    s = replay(s, 25, 20, () => ({ ...GOOD, availableKbps: 42, lossPct: 6, rttMs: 300, limitation: 'bandwidth' }), log);
    expect(s.mode).toBe('audio');
    s = replay(s, 45, 60, () => GOOD, log);
    expect(modeIndexOf(s.mode)).toBeLessThanOrEqual(modeIndexOf('low'));
    expect(s.mode).toBe('hd');
  });
});

const modeIndexOf = (m: Mode) => MODES.indexOf(m);

describe('readings from stats', () => {
  const snap = (at: number, reports: number, sent: number, extra: Record<string, unknown> = {}, fraction = 0.05) => ({
    at,
    entries: [
      { id: 'T', type: 'transport', timestamp: at, selectedCandidatePairId: 'P' },
      { id: 'P', type: 'candidate-pair', timestamp: at, availableOutgoingBitrate: 312_000, currentRoundTripTime: 0.084 },
      { id: 'OV', type: 'outbound-rtp', kind: 'video', timestamp: at, packetsSent: sent, qualityLimitationReason: 'bandwidth', ...extra },
      { id: 'RV', type: 'remote-inbound-rtp', kind: 'video', timestamp: at, localId: 'OV', reportsReceived: reports, fractionLost: fraction },
      { id: 'OA', type: 'outbound-rtp', kind: 'audio', timestamp: at, packetsSent: sent / 10 },
      { id: 'RA', type: 'remote-inbound-rtp', kind: 'audio', timestamp: at, localId: 'OA', reportsReceived: Math.floor(reports / 5), fractionLost: 0.5 },
    ],
  });

  it('loss is the fraction lost of the reports that arrived since the last reading; the estimate, round trip and limitation come through', () => {
    // Video report 10 -> 11 (5 % lost); the audio report (50 %) is the same one as before: not counted again.
    const r = readQuality(snap(0, 10, 1000), snap(1000, 11, 1100), 2);
    expect(r).toEqual({ at: 1000, availableKbps: 312, lossPct: 5, rttMs: 84, limitation: 'bandwidth', freezes: 2 });
  });

  it('reports arriving together are weighted by what each stream sent; no new report reads as unknown', () => {
    // Video 5 % over 100 packets, audio 50 % over 10 packets.
    expect(lossPct(snap(0, 14, 1000), snap(1000, 15, 1100))).toBe(9.1);
    expect(lossPct(snap(0, 15, 1000), snap(1000, 15, 1100))).toBeNull();
    expect(lossPct(null, snap(0, 15, 1000, {}, 0))).toBe(4.5);
  });
});

describe('quality mode machine: the climb on a jittery but free link', () => {
  /** Voice only after a long weak spell: the up wait is at its 32 s cap. */
  function voiceOnlyAtCap(): QualityState {
    return { ...initialState(0, 'audio'), upAfterMs: DEFAULT_CONFIG.maxUpAfterNoVideoMs, minRttMs: 1 };
  }
  const FREE: Reading = { availableKbps: 200, lossPct: null, rttMs: 3, limitation: 'none', freezes: 0 };

  it('round-trip blips to 230 ms on a 1 ms path (a loaded device) do not hold the climb back', () => {
    const log: Trace[] = [];
    // Recorded from the impairment test after the limits lifted: RTCP round trips of 234 and 213 ms, each seen in two readings.
    const s = replay(voiceOnlyAtCap(), 0, 40, (t) => ({ ...FREE, rttMs: t === 10 || t === 11 ? 234 : t === 25 || t === 26 ? 213 : 3 }), log);
    expect(hasLiveVideo(s.mode)).toBe(true);
    // 2 s settling, then 32 s of readings: the blips did not restart the wait.
    expect(log.find((x) => x.mode === 'low')!.t).toBeLessThanOrEqual(35);
  });

  it('one lone reading with a little loss keeps the run; two in a row start it again', () => {
    const loneLog: Trace[] = [];
    replay(voiceOnlyAtCap(), 0, 40, (t) => ({ ...FREE, lossPct: t === 15 ? 5 : 0 }), loneLog);
    expect(loneLog.find((x) => x.mode === 'low')!.t).toBeLessThanOrEqual(35);
    const log: Trace[] = [];
    const pair = replay(voiceOnlyAtCap(), 0, 45, (t) => ({ ...FREE, lossPct: t === 15 || t === 16 ? 5 : 0 }), log);
    expect(pair.mode).toBe('audio');
    // The run starts again after the pair and climbs 32 s later.
    const later = replay(pair, 45, 10, () => ({ ...FREE, lossPct: 0 }), log);
    expect(later.mode).toBe('low');
    expect(log.find((x) => x.mode === 'low')!.t).toBeGreaterThanOrEqual(48);
  });

  it('a steady 5 % loss (neither good nor bad) never counts as a run to climb on', () => {
    const s = replay(voiceOnlyAtCap(), 0, 120, () => ({ ...FREE, lossPct: 5 }));
    expect(s.mode).toBe('audio');
  });
});
