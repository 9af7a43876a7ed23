import { describe, expect, it } from 'vitest';
import { createSignalingMetrics, Registry } from '../../../signaling-server/metrics';
import { createLogger } from '../../../signaling-server/log';

describe('Prometheus exposition', () => {
  it('renders counters with labels, gauges and histograms in text format 0.0.4', () => {
    const m = createSignalingMetrics();
    m.errors.inc({ code: 'invalid_message' });
    m.errors.inc({ code: 'invalid_message' });
    m.errors.inc({ code: 'too_large' });
    m.socketsOpen.set(12);
    m.relayLatency.observe(0.0003);
    m.relayLatency.observe(0.02);
    const text = m.registry.render();
    expect(text).toContain('# TYPE signaling_errors_total counter');
    expect(text).toContain('signaling_errors_total{code="invalid_message"} 2');
    expect(text).toContain('signaling_errors_total{code="too_large"} 1');
    expect(text).toContain('signaling_sockets_open 12');
    expect(text).toContain('signaling_relay_latency_seconds_bucket{le="0.0005"} 1');
    expect(text).toContain('signaling_relay_latency_seconds_bucket{le="0.025"} 2');
    expect(text).toContain('signaling_relay_latency_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain('signaling_relay_latency_seconds_count 2');
    expect(text.endsWith('\n')).toBe(true);
    // every sample line is "name{labels} value"
    for (const line of text.trim().split('\n')) if (!line.startsWith('#')) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [-+0-9.eInfNa]+$/);
  });

  it('escapes label values and refuses duplicate names', () => {
    const r = new Registry();
    const c = r.counter('x_total', 'x');
    c.inc({ v: 'a"b\\c\nd' });
    expect(r.render()).toContain('x_total{v="a\\"b\\\\c\\nd"} 1');
    expect(() => r.counter('x_total', 'again')).toThrow(/twice/);
  });

  it('reads collected gauges at scrape time', () => {
    const r = new Registry();
    const set = new Set([1, 2]);
    r.gauge('g', 'g').collect(() => set.size);
    set.add(3);
    expect(r.render()).toContain('g 3');
  });
});

describe('JSON logger', () => {
  it('writes one JSON object per line with level, bindings and fields, and filters by level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', write: (l) => lines.push(l), now: () => 0 }).child({ node: 'n1' });
    log.debug('hidden');
    log.info('socket open', { memberId: 'm1' });
    log.error('boom', { err: new Error('bad') });
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({ t: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'socket open', node: 'n1', memberId: 'm1' });
    expect(JSON.parse(lines[1]!).err).toEqual({ name: 'Error', message: 'bad' });
  });

  it('survives unserialisable fields', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    log.info('x', { cyc });
    expect(JSON.parse(lines[0]!).note).toMatch(/unserialisable/);
  });
});
