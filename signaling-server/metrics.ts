/**
 * Prometheus text exposition (format 0.0.4) without a client library: the
 * server needs a handful of counters, gauges and one histogram, and the text
 * format is small and stable. Label values are escaped; label sets are
 * bounded by the callers (error codes and limit names are enums).
 */
type Labels = Record<string, string>;

function labelKey(labels: Labels | undefined): string {
  if (!labels) return '';
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return '{' + keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',') + '}';
}
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
function fmt(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (Number.isNaN(n)) return 'NaN';
  return String(n);
}

interface Metric { name: string; help: string; type: 'counter' | 'gauge' | 'histogram'; render(): string[] }

/** One label set of a counter, its key worked out once (hot paths count without building label strings). */
export interface BoundCounter { inc(by?: number): void }

export class Counter implements Metric {
  readonly type = 'counter' as const;
  private values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels?: Labels, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels?: Labels): number { return this.values.get(labelKey(labels)) ?? 0; }
  labelled(labels: Labels): BoundCounter {
    const k = labelKey(labels);
    const values = this.values;
    return { inc: (by = 1) => { values.set(k, (values.get(k) ?? 0) + by); } };
  }
  render(): string[] {
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values].map(([k, v]) => `${this.name}${k} ${fmt(v)}`);
  }
}

export class Gauge implements Metric {
  readonly type = 'gauge' as const;
  private values = new Map<string, number>();
  private collectors: Array<() => number> = [];
  constructor(readonly name: string, readonly help: string) {}
  set(v: number, labels?: Labels): void { this.values.set(labelKey(labels), v); }
  inc(labels?: Labels, by = 1): void { const k = labelKey(labels); this.values.set(k, (this.values.get(k) ?? 0) + by); }
  dec(labels?: Labels, by = 1): void { this.inc(labels, -by); }
  /** Read the value at scrape time instead of tracking it (e.g. a map's size). */
  collect(fn: () => number): void { this.collectors.push(fn); }
  get(labels?: Labels): number {
    if (!labels && this.collectors.length) return this.collectors.reduce((s, f) => s + f(), 0);
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    if (this.collectors.length) return [`${this.name} ${fmt(this.get())}`];
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values].map(([k, v]) => `${this.name}${k} ${fmt(v)}`);
  }
}

export class Histogram implements Metric {
  readonly type = 'histogram' as const;
  private counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {
    this.buckets = [...buckets].sort((a, b) => a - b);
    this.counts = this.buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.counts[i]!++;
  }
  get total(): number { return this.count; }
  render(): string[] {
    const lines = this.buckets.map((b, i) => `${this.name}_bucket{le="${fmt(b)}"} ${this.counts[i]}`);
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${fmt(this.sum)}`, `${this.name}_count ${this.count}`);
    return lines;
  }
}

export class Registry {
  private metrics = new Map<string, Metric>();
  private add<T extends Metric>(m: T): T {
    if (this.metrics.has(m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.set(m.name, m);
    return m;
  }
  counter(name: string, help: string): Counter { return this.add(new Counter(name, help)); }
  gauge(name: string, help: string): Gauge { return this.add(new Gauge(name, help)); }
  histogram(name: string, help: string, buckets: number[]): Histogram { return this.add(new Histogram(name, help, buckets)); }
  render(): string {
    const out: string[] = [];
    for (const m of this.metrics.values()) {
      out.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${m.name} ${m.type}`, ...m.render());
    }
    return out.join('\n') + '\n';
  }
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The signaling server's metric set, one per server instance (tests run several in one process). */
export function createSignalingMetrics() {
  const registry = new Registry();
  return {
    registry,
    socketsOpen: registry.gauge('signaling_sockets_open', 'WebSocket connections currently open on this node'),
    socketsTotal: registry.counter('signaling_sockets_total', 'WebSocket connections accepted, by role once known'),
    rooms: registry.gauge('signaling_rooms_active', 'Rooms with at least one member on this node'),
    invitesCreated: registry.counter('signaling_invites_created_total', 'Invites minted'),
    invitesRedeemed: registry.counter('signaling_invites_redeemed_total', 'Invites redeemed (customer joined)'),
    invitesRefused: registry.counter('signaling_invites_refused_total', 'Invite redemptions refused, by reason'),
    relayed: registry.counter('signaling_relayed_messages_total', 'Signal frames relayed between room members, by path (local|remote)'),
    errors: registry.counter('signaling_errors_total', 'Typed error frames sent to clients, by code'),
    limits: registry.counter('signaling_limit_hits_total', 'Abuse limits that fired, by limit'),
    relayLatency: registry.histogram('signaling_relay_latency_seconds', 'Time from receiving a signal frame to handing it to the target socket (or pub/sub)',
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]),
    draining: registry.gauge('signaling_draining', '1 while the node drains after SIGTERM'),
  };
}
export type SignalingMetrics = ReturnType<typeof createSignalingMetrics>;
