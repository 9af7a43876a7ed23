/**
 * The agent's end of the ladder over a real messenger: the customer's status arrives, its age
 * is known (a stalled data channel shows as an old reading, not as the present), and the
 * agent's voice sender is capped from the customer's mode and from the loss its reports show.
 */
import { describe, expect, it } from 'vitest';
import { createMessenger } from '../../../src-renderer/call/peer/data-channel';
import { AgentQuality, STATUS_STALE_MS, statusAge } from '../../../src-renderer/agent/quality/agent-quality';
import { QUALITY_NS, QualityMsg, type QualityStatus } from '../../../src-renderer/call/quality/protocol';
import type { StatsSnapshot } from '../../../src-renderer/call/peer/stats';

const status = (mode: QualityStatus['mode']): QualityStatus => ({ kind: 'status', mode, shown: mode, reason: 'bandwidth', pinned: null, advice: mode, billReading: false, availableKbps: 40, lossPct: 0, rttMs: 30, limitation: null });

/** A stand-in peer with one audio sender that records the parameters it is given (no browser here). */
function fakePc() {
  const set: number[] = [];
  let params: { encodings: Array<{ maxBitrate?: number }> } = { encodings: [{}] };
  const sender = {
    track: { kind: 'audio' },
    getParameters: () => structuredClone(params),
    setParameters: async (p: typeof params) => { params = p; set.push(p.encodings[0]!.maxBitrate ?? -1); },
  };
  return { pc: { getSenders: () => [sender] } as unknown as RTCPeerConnection, set };
}

/** The customer's receiver report on the agent's voice: `fraction` lost, report number `n`. */
const snap = (at: number, n: number, fraction: number, sent: number): StatsSnapshot => ({
  at,
  entries: [
    { id: 'out-a', type: 'outbound-rtp', kind: 'audio', timestamp: at, packetsSent: sent },
    { id: 'rr-a', type: 'remote-inbound-rtp', kind: 'audio', timestamp: at, localId: 'out-a', reportsReceived: n, fractionLost: fraction },
  ],
});

describe("the agent's quality panel state", () => {
  it('knows how old the last status is; past 4 s it is stale', async () => {
    const agent = createMessenger(), customer = createMessenger();
    agent.attach({ send: (d) => { customer.receive(d); return true; } });
    customer.attach({ send: (d) => { agent.receive(d); return true; } });
    customer.register(QUALITY_NS, QualityMsg);
    let now = 1000;
    const q = new AgentQuality(agent, () => null, () => now);
    expect(statusAge(q.store.get(), now)).toBeNull();
    customer.send(QUALITY_NS, status('low'));
    expect(q.store.get().status?.mode).toBe('low');
    now += STATUS_STALE_MS - 1;
    expect(statusAge(q.store.get(), now)).toBeLessThanOrEqual(STATUS_STALE_MS);
    now += 2;
    expect(statusAge(q.store.get(), now)).toBeGreaterThan(STATUS_STALE_MS);
    q.reset();
    expect(q.store.get().statusAt).toBeNull();
    q.close();
  });

  it("caps the agent's voice from the customer's mode, and leaner when its reports say the voice is lost", async () => {
    const agent = createMessenger(), customer = createMessenger();
    agent.attach({ send: (d) => { customer.receive(d); return true; } });
    customer.attach({ send: (d) => { agent.receive(d); return true; } });
    customer.register(QUALITY_NS, QualityMsg);
    let now = 0;
    const { pc, set } = fakePc();
    const q = new AgentQuality(agent, () => pc, () => now);
    customer.send(QUALITY_NS, status('low'));
    q.onStats(null, snap(now, 1, 0, 50));
    await Promise.resolve();
    expect(set.at(-1)).toBe(28_000);
    // The status stalls; the customer's RTCP says 20 % of the agent's voice is lost.
    now = 10_000;
    q.onStats(snap(1000, 1, 0, 50), snap(now, 2, 0.2, 500));
    await Promise.resolve();
    expect(set.at(-1)).toBe(16_000);
    expect(q.voiceCapBps).toBe(16_000);
    q.close();
  });
});
