/**
 * Live connection figures from two getStats() snapshots. Pure functions over
 * plain stat objects so they are unit-tested without a browser; the UI polls
 * once a second and shows what these return.
 */

/** One stats entry as a plain object (RTCStatsReport values, copied). */
export type StatEntry = { id: string; type: string; timestamp: number; [k: string]: unknown };
export interface StatsSnapshot { at: number; entries: StatEntry[] }

export interface LiveFigures {
  /** Inbound video frame size (what the agent sees), or null when no video arrives. */
  width: number | null;
  height: number | null;
  /** Decoded frames per second over the interval. */
  fps: number | null;
  /** Inbound bitrate of all media, kbit/s, over the interval. */
  inboundKbps: number | null;
  outboundKbps: number | null;
  /** Round-trip time of the selected candidate pair, ms. */
  rttMs: number | null;
  /** Cumulative audio bytes (tests and the UI's "audio flowing" dot use these). */
  audioInBytes: number;
  audioOutBytes: number;
  videoInBytes: number;
  framesDecoded: number;
  /** 'host' | 'srflx' | 'prflx' | 'relay' of the local side of the selected pair. */
  localCandidateType: string | null;
  packetsLostIn: number;
}

export function toSnapshot(report: RTCStatsReport | Iterable<[string, unknown]> | null, at = Date.now()): StatsSnapshot {
  const entries: StatEntry[] = [];
  if (report) {
    for (const [, v] of report as Iterable<[string, unknown]>) {
      if (v && typeof v === 'object') entries.push({ ...(v as StatEntry) });
    }
  }
  return { at, entries };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const sum = (xs: StatEntry[], key: string) => xs.reduce((a, e) => a + (num(e[key]) ?? 0), 0);
const byType = (s: StatsSnapshot, type: string, kind?: string) =>
  s.entries.filter((e) => e.type === type && (kind === undefined || e.kind === kind || e.mediaType === kind));

/** Selected candidate pair: the transport's selectedCandidatePairId, else a nominated succeeded pair. */
export function selectedPair(s: StatsSnapshot): StatEntry | null {
  const transport = s.entries.find((e) => e.type === 'transport' && typeof e.selectedCandidatePairId === 'string');
  if (transport) {
    const p = s.entries.find((e) => e.id === transport.selectedCandidatePairId);
    if (p) return p;
  }
  return s.entries.find((e) => e.type === 'candidate-pair' && e.nominated === true && e.state === 'succeeded')
    ?? s.entries.find((e) => e.type === 'candidate-pair' && e.selected === true) ?? null;
}

/** Rate in units/s of a cumulative counter between two snapshots; null if it went backwards (a new connection). */
export function rate(prev: number | null, cur: number | null, dtMs: number): number | null {
  if (prev === null || cur === null || dtMs <= 0 || cur < prev) return null;
  return ((cur - prev) * 1000) / dtMs;
}

export function computeFigures(prev: StatsSnapshot | null, cur: StatsSnapshot): LiveFigures {
  const vIn = byType(cur, 'inbound-rtp', 'video');
  const aIn = byType(cur, 'inbound-rtp', 'audio');
  const aOut = byType(cur, 'outbound-rtp', 'audio');
  const allIn = byType(cur, 'inbound-rtp');
  const allOut = byType(cur, 'outbound-rtp');
  const v = vIn[0];
  const width = v ? num(v.frameWidth) : null;
  const height = v ? num(v.frameHeight) : null;
  const framesDecoded = v ? num(v.framesDecoded) ?? 0 : 0;

  let fps: number | null = v ? num(v.framesPerSecond) : null;
  let inboundKbps: number | null = null;
  let outboundKbps: number | null = null;
  if (prev) {
    const dt = cur.at - prev.at;
    const pv = byType(prev, 'inbound-rtp', 'video').find((e) => e.id === v?.id);
    const decodedRate = pv && v ? rate(num(pv.framesDecoded), num(v.framesDecoded), dt) : null;
    if (decodedRate !== null) fps = decodedRate;
    const inRate = rate(sum(byType(prev, 'inbound-rtp'), 'bytesReceived'), sum(allIn, 'bytesReceived'), dt);
    const outRate = rate(sum(byType(prev, 'outbound-rtp'), 'bytesSent'), sum(allOut, 'bytesSent'), dt);
    inboundKbps = inRate === null ? null : (inRate * 8) / 1000;
    outboundKbps = outRate === null ? null : (outRate * 8) / 1000;
  }

  const pair = selectedPair(cur);
  const rttS = pair ? num(pair.currentRoundTripTime) : null;
  const local = pair ? cur.entries.find((e) => e.id === pair.localCandidateId) : undefined;

  return {
    width,
    height,
    fps: fps === null ? null : Math.round(fps * 10) / 10,
    inboundKbps: inboundKbps === null ? null : Math.round(inboundKbps),
    outboundKbps: outboundKbps === null ? null : Math.round(outboundKbps),
    rttMs: rttS === null ? null : Math.round(rttS * 1000 * 10) / 10,
    audioInBytes: sum(aIn, 'bytesReceived'),
    audioOutBytes: sum(aOut, 'bytesSent'),
    videoInBytes: sum(vIn, 'bytesReceived'),
    framesDecoded,
    localCandidateType: local && typeof local.candidateType === 'string' ? local.candidateType : null,
    packetsLostIn: sum(allIn, 'packetsLost'),
  };
}
