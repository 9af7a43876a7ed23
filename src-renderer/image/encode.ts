/**
 * The renderer's one image encoder, and its decoder: every still, frame grab,
 * composite and OCR copy becomes bytes here (canvas -> JPEG/PNG/WebP), so
 * quality, failure and the Blob round trip are handled once.
 */
import type { StillMime } from './sniff';

/** Encode a canvas as it is. */
export async function encodeCanvas(canvas: HTMLCanvasElement, mime: StillMime = 'image/jpeg', quality = 0.92): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, mime, quality));
  if (!blob) throw new Error(`could not encode the image as ${mime}`);
  return new Uint8Array(await blob.arrayBuffer());
}

/** Draw `source` at `width`x`height` (scaling it) and encode that. */
export async function encodeImage(source: CanvasImageSource, width: number, height: number, mime: StillMime = 'image/jpeg', quality = 0.92): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  ctx.drawImage(source, 0, 0, width, height);
  return encodeCanvas(canvas, mime, quality);
}

/** The video's current frame at its intrinsic size, on a canvas (null before the first frame). */
export function grabVideoFrame(video: HTMLVideoElement): HTMLCanvasElement | null {
  const w = video.videoWidth, h = video.videoHeight;
  if (!w || !h) return null;
  const c = document.createElement('canvas');
  c.width = w; c.height = h;
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(video, 0, 0, w, h);
  return c;
}

/** Encoded bytes back to a drawable bitmap, optionally resized while decoding. */
export function decodeImage(bytes: Uint8Array, mime: string, resize?: { width: number; height: number }): Promise<ImageBitmap> {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime });
  return resize ? createImageBitmap(blob, { resizeWidth: resize.width, resizeHeight: resize.height, resizeQuality: 'high' }) : createImageBitmap(blob);
}
