/**
 * Card numbers painted over in the pixels of a still, before it is stored,
 * exported or sent to the CRM. The boxes come from the OCR page
 * (bills/cards.ts); each is grown by a margin (OCR boxes hug the glyphs, and
 * a sliver of a digit can be enough for another OCR pass) and filled black.
 *
 * The output is the image as it would be stored: EXIF orientation applied
 * (boxes are in the upright image's pixels) and metadata dropped, in the
 * original's format (JPEG stays JPEG at high quality, anything else is PNG).
 * A still with no card number on it is returned byte for byte, so its
 * sha256 — its name in the case — does not change.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Box } from '../bills/types';
import { ImageError } from './image-info';

export interface Redacted { bytes: Uint8Array; mime: string; sha256: string; boxes: Box[]; changed: boolean }

/** Boxes grown by a margin of their height, clamped to the image. */
export function paddedBoxes(boxes: Box[], width: number, height: number): Box[] {
  return boxes.map((b) => {
    const m = Math.max(3, Math.round(b.h * 0.35));
    const x = Math.max(0, b.x - m), y = Math.max(0, b.y - m);
    return { x, y, w: Math.min(width, b.x + b.w + m) - x, h: Math.min(height, b.y + b.h + m) - y };
  }).filter((b) => b.w > 0 && b.h > 0);
}

export async function redactImage(image: Uint8Array, boxes: Box[], mimeHint?: string): Promise<Redacted> {
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  if (!boxes.length) return { bytes: image, mime: mimeHint ?? 'application/octet-stream', sha256: sha(image), boxes: [], changed: false };
  try {
    const src = sharp(image, { failOn: 'error', limitInputPixels: 100_000_000 }).rotate();
    const meta = await sharp(image).metadata();
    const W = meta.autoOrient?.width ?? meta.width ?? 0, H = meta.autoOrient?.height ?? meta.height ?? 0;
    const pads = paddedBoxes(boxes, W, H);
    const black = (b: Box) => ({ input: { create: { width: b.w, height: b.h, channels: 3 as const, background: { r: 0, g: 0, b: 0 } } }, left: b.x, top: b.y });
    const out = src.composite(pads.map(black));
    const jpeg = meta.format === 'jpeg';
    const bytes = new Uint8Array(await (jpeg ? out.jpeg({ quality: 92, mozjpeg: false }) : out.png()).toBuffer());
    return { bytes, mime: jpeg ? 'image/jpeg' : 'image/png', sha256: sha(bytes), boxes: pads, changed: true };
  } catch (e) {
    throw new ImageError('unsupported_image', `the image could not be redacted (${e instanceof Error ? e.message : String(e)})`);
  }
}
