/**
 * One QualityReading from two getStats() snapshots of the sending side (pure,
 * over the plain stat objects stats.ts copies), plus the freezes the receiver
 * reported. Loss is what the receiver's RTCP reports say it lost of what we
 * sent over the interval, all kinds together (audio keeps reporting while the
 * video is paused).
 */
import { selectedPair, type StatEntry, type StatsSnapshot } from '../peer/stats';
import type { Limitation, QualityReading } from './machine';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function lossCounters(s: StatsSnapshot): Map<string, { lost: number; sent: number; fraction: number | null }> {
  const out = new Map<string, { lost: number; sent: number; fraction: number | null }>();
  for (const r of s.entries) {
    if (r.type !== 'remote-inbound-rtp') continue;
    const local = typeof r.localId === 'string' ? s.entries.find((e) => e.id === r.localId) : undefined;
    out.set(r.id, { lost: num(r.packetsLost) ?? 0, sent: num(local?.packetsSent) ?? 0, fraction: num(r.fractionLost) });
  }
  return out;
}

export function lossPct(prev: StatsSnapshot | null, cur: StatsSnapshot): number | null {
  const now = lossCounters(cur);
  if (now.size === 0) return null;
  if (prev) {
    const before = lossCounters(prev);
    let lost = 0;
    let sent = 0;
    for (const [id, c] of now) {
      const b = before.get(id);
      if (!b || c.sent < b.sent || c.lost < b.lost) continue;
      lost += c.lost - b.lost;
      sent += c.sent - b.sent;
    }
    if (sent > 0) return Math.round(Math.min(100, (lost / sent) * 100) * 10) / 10;
  }
  const fractions = [...now.values()].map((c) => c.fraction).filter((f): f is number => f !== null);
  return fractions.length ? Math.round(Math.max(...fractions) * 1000) / 10 : null;
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
