import { describe, expect, it } from 'vitest';
import { dragGeometry, extendStroke, nextStep, translate, SHORTCUTS } from '../../../src-renderer/annotation/agent/gestures';
import { style } from './helpers';

describe('tool geometry', () => {
  it('turns a drag into an arrow from start to end, and a box whichever way it was dragged', () => {
    expect(dragGeometry('arrow', { x: 0.1, y: 0.2 }, { x: 0.5, y: 0.6 })).toEqual({ kind: 'arrow', x1: 0.1, y1: 0.2, x2: 0.5, y2: 0.6 });
    expect(dragGeometry('ellipse', { x: 0.5, y: 0.6 }, { x: 0.1, y: 0.2 })).toEqual({ kind: 'ellipse', x: 0.1, y: 0.2, w: 0.4, h: 0.4 });
  });

  it('rounds to 1e-4 of the frame so messages stay small', () => {
    expect(dragGeometry('rect', { x: 0.123456789, y: 0 }, { x: 0.2, y: 0.3 })).toMatchObject({ x: 0.1235 });
  });

  it('extends strokes, drops jitter, and keeps only the newest points past the limit', () => {
    let pts: number[] = [];
    pts = extendStroke(pts, { x: 0.1, y: 0.1 });
    pts = extendStroke(pts, { x: 0.10001, y: 0.1 });
    expect(pts).toEqual([0.1, 0.1]);
    for (let i = 0; i < 10; i++) pts = extendStroke(pts, { x: 0.2 + i * 0.01, y: 0.2 }, 4);
    expect(pts).toHaveLength(8);
    expect(pts.slice(-2)).toEqual([0.29, 0.2]);
  });

  it('moves shapes but never out of the frame', () => {
    const r = translate({ kind: 'rect', x: 0.8, y: 0.1, w: 0.15, h: 0.1, style, z: 1 }, 0.5, -0.5);
    expect(r).toMatchObject({ x: 0.85, y: 0 });
    const p = translate({ kind: 'pen', points: [0.1, 0.1, 0.2, 0.3], style, z: 1 }, -0.3, 0.1);
    expect(p).toMatchObject({ points: [0, 0.2, 0.1, 0.4] });
    const a = translate({ kind: 'arrow', x1: 0.2, y1: 0.2, x2: 0.4, y2: 0.4, style, z: 1 }, 0.1, 0.1);
    expect(a).toMatchObject({ x1: 0.3, y1: 0.3, x2: 0.5, y2: 0.5 });
  });

  it('numbers steps one past the highest on screen', () => {
    expect(nextStep([])).toBe(1);
    expect(nextStep([{ kind: 'step', n: 1 }, { kind: 'arrow' }, { kind: 'step', n: 4 }])).toBe(5);
  });

  it('has a distinct single-key shortcut for every tool', () => {
    const keys = Object.values(SHORTCUTS);
    expect(new Set(keys).size).toBe(keys.length);
    expect(SHORTCUTS).toMatchObject({ arrow: 'A', ellipse: 'E', rect: 'R', pen: 'P', text: 'T', step: 'N', laser: 'L', select: 'V' });
  });
});
