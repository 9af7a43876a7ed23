/**
 * Freeze-frame stills. The customer's own preview frame is the source of truth:
 * it is the camera picture before compression (sharper than what reaches the
 * agent), it is taken once on the customer device, encoded once, shown from the
 * encoded bytes on the customer screen and sent as those same bytes to the
 * agent, so both screens show the identical still. The agent shows its own
 * received frame for the moment until the customer's still arrives.
 */
export type StillMime = 'image/jpeg' | 'image/png';

export function grabFrame(video: HTMLVideoElement): HTMLCanvasElement | null {
  const w = video.videoWidth, h = video.videoHeight;
  if (!w || !h) return null;
  const c = document.createElement('canvas');
  c.width = w; c.height = h;
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(video, 0, 0, w, h);
  return c;
}

export async function encodeCanvas(c: HTMLCanvasElement, mime: StillMime = 'image/jpeg', quality = 0.9): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((res) => c.toBlob(res, mime, quality));
  if (!blob) throw new Error('could not encode the still');
  return new Uint8Array(await blob.arrayBuffer());
}

export async function decodeStill(bytes: Uint8Array, mime: string): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
}

let seq = 0;
export const newFreezeId = (): string => `f${Date.now().toString(36)}${(++seq).toString(36)}`;
