/**
 * The one place relayed `signal` frames are counted: the node's own total
 * (stats), the metric by path, and the relay latency.
 */
import { performance } from 'node:perf_hooks';
import type { BoundCounter, Histogram, SignalingMetrics } from '../metrics';

export class RelayCounter {
  /** frames this node relayed for its own senders (to a local socket or out to another node) */
  relayed = 0;
  // pre-labelled: the relay path counts without building label keys
  private readonly local: BoundCounter;
  private readonly remoteOut: BoundCounter;
  private readonly remoteIn: BoundCounter;
  private readonly latency: Histogram;

  constructor(metrics: SignalingMetrics) {
    this.local = metrics.relayed.labelled({ path: 'local' });
    this.remoteOut = metrics.relayed.labelled({ path: 'remote_out' });
    this.remoteIn = metrics.relayed.labelled({ path: 'remote_in' });
    this.latency = metrics.relayLatency;
  }

  /** Handed to a socket on this node; `t0` is performance.now() when the frame arrived. */
  countLocal(t0: number): void {
    this.relayed++;
    this.local.inc();
    this.latency.observe((performance.now() - t0) / 1000);
  }

  /** Published for the node that holds the target's socket. */
  countRemoteOut(t0: number): void {
    this.relayed++;
    this.remoteOut.inc();
    this.latency.observe((performance.now() - t0) / 1000);
  }

  /**
   * Delivered here for another node's sender (counted there in `relayed`);
   * `sentAt` is that node's wall clock, so the latency includes the bus.
   */
  countRemoteIn(sentAt: number): void {
    this.remoteIn.inc();
    this.latency.observe(Math.max(0, Date.now() - sentAt) / 1000);
  }
}
