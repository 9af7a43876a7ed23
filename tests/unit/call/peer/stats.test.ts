import { describe, expect, it } from 'vitest';
import { computeFigures, rate, selectedPair, toSnapshot, type StatsSnapshot } from '../../../../src-renderer/call/peer/stats';

// Shapes as Chromium's getStats() reports them (trimmed to the fields used).
function snap(at: number, o: { framesDecoded: number; videoBytes: number; audioIn: number; audioOut: number; rtt?: number; fps?: number }): StatsSnapshot {
  return {
    at,
    entries: [
      { id: 'IV', type: 'inbound-rtp', kind: 'video', timestamp: at, frameWidth: 1280, frameHeight: 720, framesDecoded: o.framesDecoded, bytesReceived: o.videoBytes, packetsLost: 2, ...(o.fps !== undefined ? { framesPerSecond: o.fps } : {}) },
      { id: 'IA', type: 'inbound-rtp', kind: 'audio', timestamp: at, bytesReceived: o.audioIn, packetsLost: 1 },
      { id: 'OA', type: 'outbound-rtp', kind: 'audio', timestamp: at, bytesSent: o.audioOut },
      { id: 'T', type: 'transport', timestamp: at, selectedCandidatePairId: 'CP1' },
      { id: 'CP0', type: 'candidate-pair', timestamp: at, state: 'failed', currentRoundTripTime: 9, localCandidateId: 'L0' },
      { id: 'CP1', type: 'candidate-pair', timestamp: at, state: 'succeeded', nominated: true, currentRoundTripTime: o.rtt ?? 0.0123, localCandidateId: 'L1' },
      { id: 'L1', type: 'local-candidate', timestamp: at, candidateType: 'relay' },
    ],
  };
}

describe('live call figures from two getStats snapshots', () => {
  it('derives fps from frames decoded and bitrate from bytes over the interval', () => {
    const a = snap(1000, { framesDecoded: 100, videoBytes: 1_000_000, audioIn: 5000, audioOut: 7000 });
    const b = snap(2000, { framesDecoded: 130, videoBytes: 1_250_000, audioIn: 9000, audioOut: 11000 });
    const f = computeFigures(a, b);
    expect(f.fps).toBe(30);
    // (250000 + 4000) bytes in 1 s = 2032 kbit/s
    expect(f.inboundKbps).toBe(2032);
    expect(f.outboundKbps).toBe(32);
    expect(f.width).toBe(1280);
    expect(f.height).toBe(720);
    expect(f.rttMs).toBe(12.3);
    expect(f.audioInBytes).toBe(9000);
    expect(f.audioOutBytes).toBe(11000);
    expect(f.localCandidateType).toBe('relay');
    expect(f.packetsLostIn).toBe(3);
  });

  it('uses the selected pair, not any pair, for round-trip time', () => {
    expect(selectedPair(snap(0, { framesDecoded: 0, videoBytes: 0, audioIn: 0, audioOut: 0 }))?.id).toBe('CP1');
    const noTransport: StatsSnapshot = { at: 0, entries: [
      { id: 'X', type: 'candidate-pair', timestamp: 0, state: 'in-progress', currentRoundTripTime: 1 },
      { id: 'Y', type: 'candidate-pair', timestamp: 0, state: 'succeeded', nominated: true, currentRoundTripTime: 0.05 },
    ] };
    expect(computeFigures(null, noTransport).rttMs).toBe(50);
  });

  it('has no rates for the first snapshot and falls back to the reported fps', () => {
    const f = computeFigures(null, snap(1000, { framesDecoded: 10, videoBytes: 10, audioIn: 0, audioOut: 0, fps: 24 }));
    expect(f.inboundKbps).toBeNull();
    expect(f.fps).toBe(24);
  });

  it('reports no rate when counters go backwards (a re-created connection) or time does not advance', () => {
    expect(rate(100, 50, 1000)).toBeNull();
    expect(rate(100, 200, 0)).toBeNull();
    expect(rate(null, 200, 1000)).toBeNull();
    expect(rate(100, 300, 500)).toBe(400);
    const a = snap(1000, { framesDecoded: 500, videoBytes: 9_000_000, audioIn: 0, audioOut: 0 });
    const b = snap(2000, { framesDecoded: 20, videoBytes: 30_000, audioIn: 0, audioOut: 0 });
    expect(computeFigures(a, b).inboundKbps).toBeNull();
  });

  it('shows nothing for video when none arrives', () => {
    const f = computeFigures(null, { at: 0, entries: [] });
    expect(f).toMatchObject({ width: null, height: null, fps: null, rttMs: null, audioInBytes: 0, framesDecoded: 0 });
  });

  it('copies a Map-like report into plain entries', () => {
    const m = new Map<string, unknown>([['a', { id: 'a', type: 'inbound-rtp', timestamp: 1 }], ['b', null]]);
    expect(toSnapshot(m, 5)).toEqual({ at: 5, entries: [{ id: 'a', type: 'inbound-rtp', timestamp: 1 }] });
  });
});
