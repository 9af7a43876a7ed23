import { describe, expect, it } from 'vitest';
import { AnnotationDoc, LIMITS, checkEncodedSize, checkOperation, checkSnapshot } from '../../../src-renderer/annotation/model';
import { arrow, style } from './helpers';

const good = () => new AnnotationDoc('agent').create(arrow()) as unknown as { op: 'add'; shape: Record<string, unknown> };

describe('operation schema', () => {
  it('accepts every shape kind the tools produce', () => {
    const d = new AnnotationDoc('agent');
    const ops = [
      d.create(arrow()),
      d.create({ kind: 'ellipse', x: 0.1, y: 0.1, w: 0.2, h: 0.3, style }),
      d.create({ kind: 'rect', x: 0, y: 0, w: 1, h: 1, style }),
      d.create({ kind: 'pen', points: [0.1, 0.2, 0.3, 0.4], style }),
      d.create({ kind: 'text', x: 0.5, y: 0.5, text: 'このネジ', size: 0.05, style }),
      d.create({ kind: 'step', x: 0.5, y: 0.5, n: 3, style }),
      d.create({ kind: 'laser', points: [0.5, 0.5], ttlMs: 1500, style }),
      d.remove('agent-1')!,
      d.clear(),
    ];
    for (const op of ops) expect(checkOperation(JSON.parse(JSON.stringify(op)))).toMatchObject({ ok: true });
  });

  const cases: Array<[string, (op: ReturnType<typeof good>) => unknown, 'malformed' | 'oversized']> = [
    ['NaN coordinate', (o) => ({ ...o, shape: { ...o.shape, x1: NaN } }), 'malformed'],
    ['Infinity coordinate', (o) => ({ ...o, shape: { ...o.shape, y2: Infinity } }), 'malformed'],
    ['coordinate outside the frame', (o) => ({ ...o, shape: { ...o.shape, x2: 1.5 } }), 'oversized'],
    ['negative coordinate', (o) => ({ ...o, shape: { ...o.shape, x2: -0.1 } }), 'malformed'],
    ['string coordinate', (o) => ({ ...o, shape: { ...o.shape, x1: '0.5' } }), 'malformed'],
    ['unknown kind', (o) => ({ ...o, shape: { ...o.shape, kind: 'image', src: 'http://x' } }), 'malformed'],
    ['unknown op', (o) => ({ ...o, op: 'eval' }), 'malformed'],
    ['extra key', (o) => ({ ...o, shape: { ...o.shape, onclick: 'x' } }), 'malformed'],
    ['bad colour', (o) => ({ ...o, shape: { ...o.shape, style: { color: 'url(javascript:1)', width: 0.01 } } }), 'malformed'],
    ['huge stroke width', (o) => ({ ...o, shape: { ...o.shape, style: { color: '#000000', width: 5 } } }), 'oversized'],
    ['fractional clock', (o) => ({ ...o, shape: { ...o.shape, clock: 1.5 } }), 'malformed'],
    ['id with markup', (o) => ({ ...o, shape: { ...o.shape, id: '<img>' } }), 'malformed'],
    ['too many pen points', (o) => ({ ...o, shape: { ...o.shape, kind: 'pen', x1: undefined, y1: undefined, x2: undefined, y2: undefined, points: new Array(LIMITS.maxPointsPerStroke * 2 + 2).fill(0.5) } }), 'oversized'],
    ['odd pen points', (o) => ({ ...o, shape: { ...o.shape, kind: 'pen', x1: undefined, y1: undefined, x2: undefined, y2: undefined, points: [0.1, 0.2, 0.3] } }), 'malformed'],
    ['text too long', (o) => ({ ...o, shape: { ...o.shape, kind: 'text', x1: undefined, y1: undefined, x2: undefined, y2: undefined, x: 0.1, y: 0.1, size: 0.05, text: 'x'.repeat(LIMITS.maxTextLength + 1) } }), 'oversized'],
    ['null', () => null, 'malformed'],
    ['array', () => [1, 2], 'malformed'],
  ];
  for (const [name, mutate, code] of cases) {
    it(`rejects ${name} as ${code}`, () => {
      const raw = JSON.parse(JSON.stringify(mutate(good()), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? v : v)));
      // JSON turns NaN/Infinity into null; test the in-memory value too.
      for (const value of [mutate(good()), raw]) {
        const r = checkOperation(value);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe(value === raw && /NaN|Infinity/.test(name) ? 'malformed' : code);
      }
    });
  }

  it('refuses an oversized message before parsing it', () => {
    expect(checkEncodedSize('x'.repeat(LIMITS.maxMessageBytes + 1))).toMatchObject({ code: 'oversized' });
    expect(checkEncodedSize('あ'.repeat(Math.ceil(LIMITS.maxMessageBytes / 3) + 1))).toMatchObject({ code: 'oversized' });
    expect(checkEncodedSize(JSON.stringify(good()))).toBeNull();
  });

  it('validates snapshots, including their size', () => {
    const d = new AnnotationDoc('agent');
    d.create(arrow());
    expect(checkSnapshot(JSON.parse(JSON.stringify(d.snapshot())))).toMatchObject({ ok: true });
    const s = d.snapshot();
    expect(checkSnapshot({ ...s, shapes: new Array(LIMITS.maxShapes + 1).fill(s.shapes[0]) })).toMatchObject({ ok: false, error: { code: 'oversized' } });
    expect(checkSnapshot({ ...s, v: 2 })).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });
});
