/**
 * One QualityReading from two getStats() snapshots of the sending side (pure,
 * over the plain stat objects stats.ts copies), plus the freezes the receiver
 * reported. Loss is what the receiver's RTCP reports say it lost of what we
 * sent, all kinds together (audio keeps reporting while the video is paused).
 */
import { selectedPair, type StatEntry, type StatsSnapshot } from '../peer/stats';
import type { Limitation, QualityReading } from './machine';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface LossReport { reports: number; fraction: number | null; sent: number }

function lossReports(s: StatsSnapshot): Map<string, LossReport> {
  const out = new Map<string, LossReport>();
  for (const r of s.entries) {
    if (r.type !== 'remote-inbound-rtp') continue;
    const local = typeof r.localId === 'string' ? s.entries.find((e) => e.id === r.localId) : undefined;
    out.set(r.id, { reports: num(r.reportsReceived) ?? num(r.timestamp) ?? 0, fraction: num(r.fractionLost), sent: num(local?.packetsSent) ?? 0 });
  }
  return out;
}

/**
 * Loss from the receiver reports that arrived since the last snapshot: each report's
 * fractionLost (what it lost of what we sent since its previous report), weighted by the
 * packets each stream sent. Cumulative counters are no good here: an audio stream's
 * reports come every few seconds, so one-second deltas of them read 0 % and then 70 %.
 * Null when no report arrived (the machine then judges by the rest).
 */
export function lossPct(prev: StatsSnapshot | null, cur: StatsSnapshot): number | null {
  const now = lossReports(cur);
  const before = prev ? lossReports(prev) : new Map<string, LossReport>();
  let weighted = 0;
  let weight = 0;
  for (const [id, r] of now) {
    const b = before.get(id);
    if (r.fraction === null || (b && b.reports === r.reports)) continue;
    const w = Math.max(1, b ? r.sent - b.sent : r.sent);
    weighted += r.fraction * w;
    weight += w;
  }
  return weight > 0 ? Math.round((weighted / weight) * 1000) / 10 : null;
}

function videoOut(s: StatsSnapshot): StatEntry | undefined {
  return s.entries.find((e) => e.type === 'outbound-rtp' && (e.kind === 'video' || e.mediaType === 'video'));
}

export function readQuality(prev: StatsSnapshot | null, cur: StatsSnapshot, freezes = 0): QualityReading {
  const pair = selectedPair(cur);
  const bps = pair ? num(pair.availableOutgoingBitrate) : null;
  const rttS = pair ? num(pair.currentRoundTripTime) : null;
  const reason = videoOut(cur)?.qualityLimitationReason;
  const limitation: Limitation | null = reason === 'none' || reason === 'bandwidth' || reason === 'cpu' || reason === 'other' ? reason : null;
  return {
    at: cur.at,
    availableKbps: bps === null ? null : Math.round(bps / 1000),
    lossPct: lossPct(prev, cur),
    rttMs: rttS === null ? null : Math.round(rttS * 1000),
    limitation,
    freezes,
  };
}

/** The receiver's freezes so far (inbound video freezeCount), for its report back to the sender. */
export function inboundFreezeCount(s: StatsSnapshot): number {
  const v = s.entries.find((e) => e.type === 'inbound-rtp' && (e.kind === 'video' || e.mediaType === 'video'));
  return v ? num(v.freezeCount) ?? 0 : 0;
}
