/**
 * Model shape -> Konva node, for a given viewport. Used by the live stages
 * (agent and customer) and by the composite image for case evidence, so every
 * place draws a shape the same way.
 */
import Konva from 'konva';
import { boxToScreen, toScreen, unitPx, type ContentRect, type Viewport } from '../model/coords';
import type { Shape } from '../model/types';

export interface NodeOptions { interactive: boolean }

/** Arrow heads and step badges need a floor in px or they vanish on small previews. */
const px = (frac: number, unit: number, min: number) => Math.max(min, frac * unit);

function mapPoints(points: readonly number[], vp: Viewport, rect: ContentRect): number[] {
  const out = new Array<number>(points.length);
  for (let i = 0; i + 1 < points.length; i += 2) {
    const s = toScreen({ x: points[i]!, y: points[i + 1]! }, vp, rect);
    out[i] = s.x; out[i + 1] = s.y;
  }
  return out;
}

export function buildNode(shape: Shape, vp: Viewport, rect: ContentRect, o: NodeOptions): Konva.Group | Konva.Shape {
  const unit = unitPx(rect);
  const sw = px(shape.style.width, unit, 1);
  const common = {
    id: shape.id,
    name: 'annotation',
    listening: o.interactive,
    perfectDrawEnabled: false,
    shadowForStrokeEnabled: false,
    // Thin strokes are hard to grab: widen the hit area on the agent side only.
    hitStrokeWidth: o.interactive ? Math.max(sw, 14) : 0,
  };
  switch (shape.kind) {
    case 'arrow': {
      const a = toScreen({ x: shape.x1, y: shape.y1 }, vp, rect);
      const b = toScreen({ x: shape.x2, y: shape.y2 }, vp, rect);
      const head = Math.max(10, sw * 4);
      return new Konva.Arrow({
        ...common, points: [a.x, a.y, b.x, b.y], stroke: shape.style.color, fill: shape.style.color,
        strokeWidth: sw, pointerLength: head, pointerWidth: head, lineCap: 'round', lineJoin: 'round',
      });
    }
    case 'ellipse': {
      const b = boxToScreen(shape, vp, rect);
      return new Konva.Ellipse({
        ...common, x: b.x + b.w / 2, y: b.y + b.h / 2, radiusX: b.w / 2, radiusY: b.h / 2,
        stroke: shape.style.color, strokeWidth: sw, fillEnabled: false,
      });
    }
    case 'rect': {
      const b = boxToScreen(shape, vp, rect);
      return new Konva.Rect({ ...common, x: b.x, y: b.y, width: b.w, height: b.h, stroke: shape.style.color, strokeWidth: sw, fillEnabled: false, lineJoin: 'round' });
    }
    case 'pen':
    case 'laser': {
      const line = new Konva.Line({
        ...common, points: mapPoints(shape.points, vp, rect), stroke: shape.style.color, strokeWidth: sw,
        lineCap: 'round', lineJoin: 'round', tension: 0.4,
      });
      if (shape.kind === 'laser') {
        line.listening(false);
        line.shadowColor(shape.style.color); line.shadowBlur(sw * 3); line.shadowOpacity(0.9);
        line.shadowForStrokeEnabled(true);
      }
      return line;
    }
    case 'text': {
      const p = toScreen({ x: shape.x, y: shape.y }, vp, rect);
      const size = px(shape.size, unit, 10);
      const label = new Konva.Label({ ...common, x: p.x, y: p.y });
      label.add(new Konva.Tag({ fill: 'rgba(0,0,0,0.6)', cornerRadius: size * 0.25, listening: o.interactive }));
      label.add(new Konva.Text({ text: shape.text, fontSize: size, fontStyle: 'bold', fill: shape.style.color, padding: size * 0.25, listening: o.interactive, perfectDrawEnabled: false }));
      return label;
    }
    case 'step': {
      const p = toScreen({ x: shape.x, y: shape.y }, vp, rect);
      const r = px(0.035, unit, 11);
      const g = new Konva.Group({ ...common, x: p.x, y: p.y });
      g.add(new Konva.Circle({ radius: r, fill: shape.style.color, stroke: '#ffffff', strokeWidth: Math.max(2, r * 0.12), listening: o.interactive, perfectDrawEnabled: false }));
      const label = String(shape.n);
      g.add(new Konva.Text({
        text: label, fontSize: r * (label.length > 2 ? 0.8 : 1.1), fontStyle: 'bold', fill: contrastText(shape.style.color),
        width: r * 2, height: r * 2, offsetX: r, offsetY: r, align: 'center', verticalAlign: 'middle', listening: false,
      }));
      return g;
    }
  }
}

/** Black or white numerals, whichever reads better on the badge colour. */
export function contrastText(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '#000000' : '#ffffff';
}
