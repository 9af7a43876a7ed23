/**
 * Pure geometry for the agent's tools: from pointer positions (already in
 * normalised frame space) to shape content. Kept apart from the DOM so it can
 * be unit-tested.
 */
import type { Point } from '../model/coords';
import { LIMITS } from '../model/limits';
import type { Geometry, ShapeContent, Style } from '../model/types';

export type Tool = 'select' | 'arrow' | 'ellipse' | 'rect' | 'pen' | 'text' | 'step' | 'laser';
export const DRAW_TOOLS: readonly Tool[] = ['arrow', 'ellipse', 'rect', 'pen', 'text', 'step', 'laser'];

export const SHORTCUTS: Record<Tool, string> = {
  select: 'V', arrow: 'A', ellipse: 'E', rect: 'R', pen: 'P', text: 'T', step: 'N', laser: 'L',
};

export const COLORS = [
  { name: 'red', hex: '#ff3b30' },
  { name: 'yellow', hex: '#ffd60a' },
  { name: 'green', hex: '#34c759' },
  { name: 'blue', hex: '#0a84ff' },
  { name: 'white', hex: '#ffffff' },
  { name: 'black', hex: '#000000' },
] as const;

export const LASER_TTL_MS = 1500;
/** A laser is a short trail, not a drawing. */
export const LASER_POINTS = 40;

/** 1e-4 of the frame is ~0.1 px at 1280 wide: keeps ops small without visible loss. */
export const q = (n: number): number => Math.round(n * 1e4) / 1e4;
const qp = (p: Point): Point => ({ x: q(p.x), y: q(p.y) });

export function dragGeometry(tool: 'arrow' | 'ellipse' | 'rect', a: Point, b: Point): Geometry {
  a = qp(a); b = qp(b);
  if (tool === 'arrow') return { kind: 'arrow', x1: a.x, y1: a.y, x2: b.x, y2: b.y };
  const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
  return { kind: tool, x, y, w: q(Math.min(Math.abs(b.x - a.x), 1 - x)), h: q(Math.min(Math.abs(b.y - a.y), 1 - y)) };
}

/** Append a point to a stroke, skipping sub-pixel jitter and respecting the point limit. */
export function extendStroke(points: readonly number[], p: Point, maxPoints: number = LIMITS.maxPointsPerStroke): number[] {
  const x = q(p.x), y = q(p.y);
  const n = points.length;
  if (n >= 2 && Math.abs(points[n - 2]! - x) < 5e-4 && Math.abs(points[n - 1]! - y) < 5e-4) return points as number[];
  const out = [...points, x, y];
  return out.length > maxPoints * 2 ? out.slice(out.length - maxPoints * 2) : out;
}

const clampShift = (lo: number, hi: number, d: number) => Math.min(Math.max(d, -lo), 1 - hi);

/** Move content by (dx, dy) in frame space, keeping it inside the frame. */
export function translate(c: ShapeContent, dx: number, dy: number): ShapeContent {
  switch (c.kind) {
    case 'arrow': {
      const ddx = clampShift(Math.min(c.x1, c.x2), Math.max(c.x1, c.x2), dx);
      const ddy = clampShift(Math.min(c.y1, c.y2), Math.max(c.y1, c.y2), dy);
      return { ...c, x1: q(c.x1 + ddx), y1: q(c.y1 + ddy), x2: q(c.x2 + ddx), y2: q(c.y2 + ddy) };
    }
    case 'ellipse': case 'rect': {
      return { ...c, x: q(c.x + clampShift(c.x, c.x + c.w, dx)), y: q(c.y + clampShift(c.y, c.y + c.h, dy)) };
    }
    case 'text': case 'step':
      return { ...c, x: q(c.x + clampShift(c.x, c.x, dx)), y: q(c.y + clampShift(c.y, c.y, dy)) };
    case 'pen': case 'laser': {
      let minX = 1, maxX = 0, minY = 1, maxY = 0;
      for (let i = 0; i < c.points.length; i += 2) {
        minX = Math.min(minX, c.points[i]!); maxX = Math.max(maxX, c.points[i]!);
        minY = Math.min(minY, c.points[i + 1]!); maxY = Math.max(maxY, c.points[i + 1]!);
      }
      const ddx = clampShift(minX, maxX, dx), ddy = clampShift(minY, maxY, dy);
      return { ...c, points: c.points.map((v, i) => q(v + (i % 2 ? ddy : ddx))) };
    }
  }
}

/** Next free step number: one more than the highest on screen. */
export function nextStep(shapes: readonly { kind: string; n?: number }[]): number {
  let max = 0;
  for (const s of shapes) if (s.kind === 'step' && typeof s.n === 'number') max = Math.max(max, s.n);
  return Math.min(max + 1, LIMITS.maxStepNumber);
}

export function withStyle<G extends Geometry>(g: G, style: Style): G & { style: Style } { return { ...g, style: { ...style } }; }
