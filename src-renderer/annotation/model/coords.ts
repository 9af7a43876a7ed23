/**
 * Normalised frame coordinates <-> screen pixels inside the element that shows
 * the video. The frame is the picture as the camera delivered it (intrinsic
 * width x height). Display may rotate it (phone orientation / CSS rotation, in
 * quarter turns clockwise), mirror it (selfie preview), and fit it into the
 * element box with any CSS object-fit, centred (object-position 50% 50%).
 */
export type ObjectFit = 'contain' | 'cover' | 'fill' | 'none' | 'scale-down';
export type Rotation = 0 | 90 | 180 | 270;

export interface Viewport {
  /** Intrinsic frame size (videoWidth/videoHeight). */
  frameW: number;
  frameH: number;
  /** Element box in CSS px. */
  boxW: number;
  boxH: number;
  fit: ObjectFit;
  /** Clockwise rotation applied to the picture for display. */
  rotation?: Rotation;
  /** Displayed picture is flipped horizontally (after rotation). */
  mirrored?: boolean;
}

export interface Point { x: number; y: number }
/** Where the displayed picture lies in the box (may exceed the box for cover/none). */
export interface ContentRect { x: number; y: number; w: number; h: number }

export function normaliseRotation(deg: number): Rotation {
  const r = (((Math.round(deg / 90) * 90) % 360) + 360) % 360;
  return r as Rotation;
}

/** The rectangle the (rotated) picture occupies in the box. */
export function contentRect(vp: Viewport): ContentRect {
  const quarter = vp.rotation === 90 || vp.rotation === 270;
  const cw = quarter ? vp.frameH : vp.frameW;
  const ch = quarter ? vp.frameW : vp.frameH;
  if (!(cw > 0 && ch > 0 && vp.boxW > 0 && vp.boxH > 0)) return { x: 0, y: 0, w: vp.boxW, h: vp.boxH };
  let sx: number, sy: number;
  switch (vp.fit) {
    case 'fill': sx = vp.boxW / cw; sy = vp.boxH / ch; break;
    case 'contain': sx = sy = Math.min(vp.boxW / cw, vp.boxH / ch); break;
    case 'cover': sx = sy = Math.max(vp.boxW / cw, vp.boxH / ch); break;
    case 'none': sx = sy = 1; break;
    case 'scale-down': sx = sy = Math.min(1, vp.boxW / cw, vp.boxH / ch); break;
  }
  const w = cw * sx, h = ch * sy;
  return { x: (vp.boxW - w) / 2, y: (vp.boxH - h) / 2, w, h };
}

/** Frame-normalised -> displayed-picture-normalised (rotation, then mirror). */
function toDisplay(p: Point, vp: Viewport): Point {
  let u: number, v: number;
  switch (vp.rotation ?? 0) {
    case 0: u = p.x; v = p.y; break;
    case 90: u = 1 - p.y; v = p.x; break;
    case 180: u = 1 - p.x; v = 1 - p.y; break;
    case 270: u = p.y; v = 1 - p.x; break;
  }
  return { x: vp.mirrored ? 1 - u : u, y: v };
}

function fromDisplay(d: Point, vp: Viewport): Point {
  const u = vp.mirrored ? 1 - d.x : d.x, v = d.y;
  switch (vp.rotation ?? 0) {
    case 0: return { x: u, y: v };
    case 90: return { x: v, y: 1 - u };
    case 180: return { x: 1 - u, y: 1 - v };
    case 270: return { x: 1 - v, y: u };
  }
}

export function toScreen(p: Point, vp: Viewport, rect: ContentRect = contentRect(vp)): Point {
  const d = toDisplay(p, vp);
  return { x: rect.x + d.x * rect.w, y: rect.y + d.y * rect.h };
}

export function toFrame(s: Point, vp: Viewport, rect: ContentRect = contentRect(vp)): Point {
  const d = { x: (s.x - rect.x) / rect.w, y: (s.y - rect.y) / rect.h };
  return fromDisplay(d, vp);
}

/** Whether a screen point falls on the picture (not on letterbox bars). */
export function onPicture(s: Point, vp: Viewport, rect: ContentRect = contentRect(vp)): boolean {
  return s.x >= rect.x && s.y >= rect.y && s.x <= rect.x + rect.w && s.y <= rect.y + rect.h;
}

export const clamp01 = (n: number): number => (n < 0 ? 0 : n > 1 ? 1 : Number.isFinite(n) ? n : 0);
export const clampPoint = (p: Point): Point => ({ x: clamp01(p.x), y: clamp01(p.y) });

/**
 * A normalised axis-aligned box in frame space -> the screen box it covers.
 * Quarter-turn rotations and mirroring keep boxes axis-aligned, so this is exact.
 */
export function boxToScreen(b: { x: number; y: number; w: number; h: number }, vp: Viewport, rect = contentRect(vp)) {
  const a = toScreen({ x: b.x, y: b.y }, vp, rect);
  const c = toScreen({ x: b.x + b.w, y: b.y + b.h }, vp, rect);
  return { x: Math.min(a.x, c.x), y: Math.min(a.y, c.y), w: Math.abs(c.x - a.x), h: Math.abs(c.y - a.y) };
}

/** Stroke widths and font sizes are fractions of the shorter displayed side. */
export const unitPx = (rect: ContentRect): number => Math.min(rect.w, rect.h);
