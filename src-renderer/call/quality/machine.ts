/**
 * The quality mode machine: pure, serialisable, one reading a second in, the
 * mode out. It runs on the sending side (the customer's page, which owns the
 * encoder) over the WebRTC stats that side already reads, plus the freezes the
 * agent's side reports back.
 *
 * Rules (why they are so):
 * - Down after a few seconds of bad readings (3 of the last 4; 2 when the estimate is under
 *   half of what the mode needs or a fifth of the packets are lost), straight to the mode the
 *   latest estimate can carry: a mobile uplink that collapses must not walk
 *   the ladder one rung per 3 s while the agent watches a frozen picture.
 * - A low estimate alone is not bad: a sender with little to send (a still bill on a
 *   good link) is capped near what it sends. It counts when the encoder says it is
 *   short of bandwidth, when the estimate fell (under 85 % of its peak in this mode),
 *   or when packets are being lost.
 * - Up one rung at a time, only after a longer run of good readings (8 s; one lone
 *   reading that is neither good nor bad does not break the run, and a round trip up
 *   to 300 ms counts as good: a loaded device's RTCP jitter is not congestion), and as a
 *   probe: if the probe turns bad within its window, back to where we were and the
 *   wait doubles (up to 64 s). A step down less than 30 s after a climb counts as a
 *   failed probe too (a link that swings would otherwise let a probe pass between two
 *   bad spells). That is the hysteresis that stops flapping; a probe that holds with no
 *   step down in the minute before brings the wait back to 8 s.
 * - The modes without live video send only the voice, so the sender's estimate cannot
 *   show room for video (it is capped near what is sent): from there the probe goes to
 *   'low' directly, on loss and round trip alone.
 * - After every change the readings settle for 2 s (they still describe the old mode).
 * - A pinned mode is kept whatever the readings say; the machine still says what it
 *   would choose (`advice`), so the agent sees what the pin costs.
 */
import { MODES, NEED_KBPS, below, hasLiveVideo, modeIndex, type Mode } from './modes';

export type Limitation = 'none' | 'bandwidth' | 'cpu' | 'other';

/** One reading, from getStats once a second (reading.ts builds it). Nulls are "not known yet". */
export interface QualityReading {
  /** ms, monotonic. */
  at: number;
  /** The sender's bandwidth estimate (candidate pair availableOutgoingBitrate), kbit/s. */
  availableKbps: number | null;
  /** Packets lost over the last interval as the receiver reported them (RTCP), percent. */
  lossPct: number | null;
  /** Round trip, ms. */
  rttMs: number | null;
  /** The video encoder's qualityLimitationReason. */
  limitation: Limitation | null;
  /** Freezes the receiving side saw since the last reading (its inbound-rtp freezeCount). */
  freezes: number;
}

export type Reason =
  | 'start' | 'bandwidth' | 'loss' | 'rtt' | 'freezes' | 'cpu'
  | 'recovered' | 'probe_failed' | 'pinned' | 'unpinned' | 'purpose';

export interface QualityConfig {
  /** Readings in the window for a step down, and how many of them must be bad (fewer when it is severe). */
  downWindow: number;
  downBad: number;
  downBadSevere: number;
  /** Good readings needed before probing one rung up, at first and at most (after failed probes). */
  upAfterMs: number;
  maxUpAfterMs: number;
  /** The longest up wait from a mode without live video: there the customer shows nothing at all, so a probe costs less than waiting. */
  maxUpAfterNoVideoMs: number;
  /** How long a probe is watched before it is kept. */
  probeMs: number;
  /** A step down this soon after a climb doubles the up wait, as a failed probe does. */
  climbBlameMs: number;
  /** A kept probe resets the up wait only when the last step down is at least this old. */
  calmMs: number;
  /** Readings ignored after a change. */
  settleMs: number;
  /** Loss above this is bad (random loss of a few percent alone is not: GoogCC holds there too). */
  badLossPct: number;
  /** Loss at or under this is good. */
  goodLossPct: number;
  /** Round trip above max(badRttMs, 4 × the call's lowest) is bad. */
  badRttMs: number;
  /** Round trip up to the call's lowest + this is good ... */
  goodRttMarginMs: number;
  /** ... and always up to this: on a LAN-fast path (1 ms) a loaded device's RTCP jitter reaches 200+ ms and is not congestion. */
  goodRttFloorMs: number;
  /** The estimate under need × this is bad. */
  bandwidthSlack: number;
}

export const DEFAULT_CONFIG: QualityConfig = {
  downWindow: 4, downBad: 3, downBadSevere: 2,
  upAfterMs: 8000, maxUpAfterMs: 64000, maxUpAfterNoVideoMs: 32000, probeMs: 8000, settleMs: 2000, climbBlameMs: 30000, calmMs: 60000,
  badLossPct: 10, goodLossPct: 2, badRttMs: 1200, goodRttMarginMs: 200, goodRttFloorMs: 300, bandwidthSlack: 0.8,
};

export interface QualityState {
  /** The mode applied now. */
  mode: Mode;
  /** Why the last change happened. */
  reason: Reason;
  /** While probing a rung up: the mode to go back to if it fails (the mode the customer is told about). */
  probeFrom: Mode | null;
  pinned: Mode | null;
  /** What the machine would choose without the pin (the same as mode when not pinned). */
  advice: Mode;
  billReading: boolean;
  /** The last few verdicts (true = bad), newest last, since the last change. */
  recent: boolean[];
  /** The worst reason among the recent bad readings, and the estimate of the latest of them. */
  badReason: Reason | null;
  badKbps: number | null;
  goodSince: number | null;
  /** Readings in a row that were neither good nor bad (one alone does not break a good run). */
  neutral: number;
  upAfterMs: number;
  changedAt: number;
  probeAt: number | null;
  lastUpAt: number | null;
  lastDownAt: number | null;
  minRttMs: number | null;
  /** The highest estimate since the last change. */
  peakKbps: number | null;
  /** Mode changes so far (diagnostics; tests count flapping with it). */
  changes: number;
}

export function initialState(at = 0, mode: Mode = 'hd', config: QualityConfig = DEFAULT_CONFIG): QualityState {
  return {
    mode, reason: 'start', probeFrom: null, pinned: null, advice: mode, billReading: false,
    recent: [], badReason: null, badKbps: null, goodSince: null, neutral: 0,
    upAfterMs: config.upAfterMs, changedAt: at, probeAt: null, lastUpAt: null, lastDownAt: null, minRttMs: null, peakKbps: null, changes: 0,
  };
}

/** The best mode an estimate can carry. */
export function fitMode(kbps: number): Mode {
  for (const m of MODES) if (kbps >= NEED_KBPS[m]) return m;
  return 'audio';
}

interface Verdict { bad: Reason | null; good: boolean; severe: boolean }

export function assess(r: QualityReading, s: QualityState, c: QualityConfig = DEFAULT_CONFIG): Verdict {
  const live = hasLiveVideo(s.mode);
  const need = NEED_KBPS[s.mode];
  const rttBad = Math.max(c.badRttMs, 4 * (s.minRttMs ?? 0));
  let bad: Reason | null = null;
  const est = r.availableKbps;
  const fell = est !== null && s.peakKbps !== null && est < 0.85 * s.peakKbps;
  const lossy = r.lossPct !== null && r.lossPct > c.goodLossPct;
  if (est !== null && need > 0 && est < need * c.bandwidthSlack && (r.limitation === 'bandwidth' || fell || lossy)) bad = 'bandwidth';
  else if (r.lossPct !== null && r.lossPct > c.badLossPct) bad = 'loss';
  else if (r.rttMs !== null && r.rttMs > rttBad) bad = 'rtt';
  // Freezes step down only to a lower live rung: at the lowest one a stuttering picture
  // is still better than a still every few seconds, so only the link's own figures
  // (estimate, loss, delay) take the customer off live video.
  else if (live && hasLiveVideo(below(s.mode)) && r.freezes > 0) bad = 'freezes';
  // A busy device ('cpu') is not a reason to step down: WebRTC's own overuse detector already
  // trades frame rate (contentHint 'detail') or resolution for it. It only holds the climb.
  const good = bad === null
    && (r.lossPct === null || r.lossPct <= c.goodLossPct)
    && (r.rttMs === null || s.minRttMs === null || r.rttMs <= Math.max(c.goodRttFloorMs, s.minRttMs + c.goodRttMarginMs))
    && r.freezes === 0
    && (r.availableKbps === null || r.availableKbps >= need)
    // With no live video the encoder's limitation says nothing about the link.
    && (!live || (r.limitation !== 'bandwidth' && r.limitation !== 'cpu'));
  const severe = (bad === 'bandwidth' && est !== null && est < need * 0.5) || (bad === 'loss' && (r.lossPct ?? 0) > 20);
  return { bad, good, severe };
}

/** Where a run of bad readings takes us. */
function downTarget(s: QualityState): Mode {
  const from = s.probeFrom ?? s.mode;
  if (s.probeFrom) {
    // A failed probe goes back to where it came from (or lower, if the estimate says so).
    const byKbps = s.badKbps !== null ? fitMode(s.badKbps) : from;
    return modeIndex(byKbps) > modeIndex(from) ? byKbps : from;
  }
  if (s.badReason === 'bandwidth' && s.badKbps !== null) {
    const fit = fitMode(s.badKbps);
    return modeIndex(fit) > modeIndex(s.mode) ? fit : below(s.mode);
  }
  return below(s.mode);
}

function upTarget(mode: Mode): Mode {
  if (!hasLiveVideo(mode)) return 'low';
  return MODES[Math.max(0, modeIndex(mode) - 1)]!;
}

function change(s: QualityState, at: number, mode: Mode, reason: Reason, probeFrom: Mode | null): QualityState {
  return {
    ...s, mode, reason, probeFrom, advice: mode,
    recent: [], badReason: null, badKbps: null, goodSince: null, neutral: 0, peakKbps: null,
    changedAt: at, probeAt: probeFrom ? at : null, changes: s.changes + (mode === s.mode ? 0 : 1),
  };
}

const SEVERITY: Reason[] = ['bandwidth', 'loss', 'rtt', 'freezes', 'cpu'];

/** Feed one reading. Returns the next state (the same object when nothing changed is not promised). */
export function step(prev: QualityState, r: QualityReading, c: QualityConfig = DEFAULT_CONFIG): QualityState {
  let s: QualityState = prev;
  if (r.rttMs !== null && r.rttMs > 0 && (s.minRttMs === null || r.rttMs < s.minRttMs)) s = { ...s, minRttMs: r.rttMs };
  if (r.at - s.changedAt < c.settleMs) return s;

  const machineMode = s.pinned ? s.advice : s.mode;
  // Pinned: the readings are judged against the mode the machine would be in.
  const v = assess(r, s.pinned ? { ...s, mode: machineMode } : s, c);
  const recent = [...s.recent, v.bad !== null].slice(-c.downWindow);
  const severeRun = v.severe && recent.slice(-2).every(Boolean);
  let badReason = s.badReason;
  let badKbps = s.badKbps;
  if (v.bad) {
    if (badReason === null || SEVERITY.indexOf(v.bad) < SEVERITY.indexOf(badReason)) badReason = v.bad;
    // The latest: the lowest overshoots (GoogCC dips under the link while the queue drains).
    if (r.availableKbps !== null) badKbps = r.availableKbps;
  } else if (!recent.includes(true)) {
    badReason = null;
    badKbps = null;
  }
  // A run of good readings survives one lone in-between reading (an RTCP report with a
  // blip of loss or delay that is not congestion); a bad one, or two in a row, end it.
  const neutral = v.good || v.bad ? 0 : s.neutral + 1;
  const goodSince = v.good ? (s.goodSince ?? r.at) : v.bad === null && neutral === 1 ? s.goodSince : null;
  const peakKbps = r.availableKbps === null ? s.peakKbps : Math.max(s.peakKbps ?? 0, r.availableKbps);
  s = { ...s, recent, badReason, badKbps, goodSince, neutral, peakKbps };

  const badCount = recent.filter(Boolean).length;
  const wantsDown = badCount >= c.downBad || (severeRun && badCount >= c.downBadSevere);

  if (wantsDown) {
    const target = s.pinned ? downTarget({ ...s, mode: machineMode }) : downTarget(s);
    if (s.pinned) return { ...s, advice: target, recent: [], badKbps: null, badReason: null, goodSince: null };
    if (target === s.mode && !s.probeFrom) return { ...s, recent: [] };
    const failedProbe = s.probeFrom !== null;
    const blame = failedProbe || (s.lastUpAt !== null && r.at - s.lastUpAt < c.climbBlameMs);
    const next = { ...change(s, r.at, target, failedProbe ? 'probe_failed' : (badReason ?? 'bandwidth'), null), lastDownAt: r.at };
    return blame ? { ...next, upAfterMs: Math.min(hasLiveVideo(target) ? c.maxUpAfterMs : c.maxUpAfterNoVideoMs, s.upAfterMs * 2) } : next;
  }

  if (s.probeFrom && s.probeAt !== null && r.at - s.probeAt >= c.probeMs) {
    // The probe held: keep it; on a calm link the next climb waits the first wait again.
    const calm = s.lastDownAt === null || r.at - s.lastDownAt >= c.calmMs;
    s = { ...s, probeFrom: null, probeAt: null, upAfterMs: calm ? c.upAfterMs : s.upAfterMs };
  }

  const upWait = hasLiveVideo(s.mode) ? s.upAfterMs : Math.min(s.upAfterMs, c.maxUpAfterNoVideoMs);
  if (!s.pinned && !s.probeFrom && s.goodSince !== null && r.at - s.goodSince >= upWait && s.mode !== 'hd') {
    return { ...change(s, r.at, upTarget(s.mode), 'recovered', s.mode), lastUpAt: r.at };
  }
  if (s.pinned && s.goodSince !== null && r.at - s.goodSince >= s.upAfterMs && machineMode !== 'hd') {
    // Pinned: the advice climbs back without probing (nothing is sent for it).
    return { ...s, advice: upTarget(machineMode), goodSince: r.at };
  }
  return s;
}

/** The agent pins a mode (null releases it: the machine continues from its advice). */
export function pin(s: QualityState, mode: Mode | null, at: number): QualityState {
  if (mode === null) {
    if (!s.pinned) return s;
    return { ...change(s, at, s.advice, 'unpinned', null), pinned: null, advice: s.advice };
  }
  const advice = s.pinned ? s.advice : s.mode;
  return { ...change(s, at, mode, 'pinned', null), pinned: mode, advice };
}

/** Bill reading on or off: the same rung, sent at full resolution and a lower frame rate. */
export function setBillReading(s: QualityState, on: boolean): QualityState {
  return s.billReading === on ? s : { ...s, billReading: on, reason: 'purpose' };
}

/** The mode to tell the customer about: during a probe, the one we came from. */
export function shownMode(s: QualityState): Mode { return s.probeFrom ?? s.mode; }
