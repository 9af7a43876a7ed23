/**
 * The one relay counter (hub/relay-counter.ts): the node's `relayed` stat,
 * the metric by path and the latency histogram move together.
 */
import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { RelayCounter } from '../../../../signaling-server/hub/relay-counter';
import { ErrorReplies } from '../../../../signaling-server/hub/errors';
import { createSignalingMetrics } from '../../../../signaling-server/metrics';

describe('relay counter', () => {
  it('counts local and outgoing frames in the stat, incoming ones only in the metric', () => {
    const m = createSignalingMetrics();
    const c = new RelayCounter(m);
    const t0 = performance.now();
    c.countLocal(t0);
    c.countLocal(t0);
    c.countRemoteOut(t0);
    c.countRemoteIn(Date.now());
    expect(c.relayed).toBe(3); // frames from this node's senders; the incoming one was counted by its sender's node
    expect(m.relayed.get({ path: 'local' })).toBe(2);
    expect(m.relayed.get({ path: 'remote_out' })).toBe(1);
    expect(m.relayed.get({ path: 'remote_in' })).toBe(1);
    expect(m.registry.render()).toContain('signaling_relay_latency_seconds_count 4');
  });

  it('never observes a negative latency from a node whose clock runs ahead', () => {
    const m = createSignalingMetrics();
    new RelayCounter(m).countRemoteIn(Date.now() + 60_000);
    expect(m.registry.render()).toMatch(/signaling_relay_latency_seconds_bucket\{le="0\.0001"\} 1/);
  });
});

describe('error replies', () => {
  it('count by code in the snapshot and the metric, and a snapshot is a copy', () => {
    const m = createSignalingMetrics();
    const e = new ErrorReplies(m);
    e.count('rate_limited');
    e.count('rate_limited');
    e.count('unavailable');
    const snap = e.snapshot();
    expect(snap).toEqual({ rate_limited: 2, unavailable: 1 });
    snap.rate_limited = 99;
    expect(e.snapshot().rate_limited).toBe(2);
    expect(m.errors.get({ code: 'rate_limited' })).toBe(2);
  });
});
