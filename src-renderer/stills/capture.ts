/**
 * Taking a still. On the customer device: from the camera track at its native
 * resolution (ImageCapture.takePhoto = full sensor size where supported;
 * else grabFrame / a canvas the size of the track's own frames) — never the
 * compressed video the agent receives. On the agent side, only as the
 * fallback: a frame grabbed from the remote <video>.
 */
import { encodeCanvas, encodeImage, grabVideoFrame } from '../image/encode';
import { sniffImage } from '../image/sniff';
import { MAX_STILL_BYTES, type StillMime } from './protocol';

export interface CapturedStill { bytes: Uint8Array; mime: StillMime; width: number; height: number; method: 'takePhoto' | 'grabFrame' | 'video' | 'file' | 'remote-frame' }

/** Chromium's ImageCapture (lib.dom lacks grabFrame; Firefox/Safari lack the class). */
type ImageCaptureCtor = new (track: MediaStreamTrack) => { takePhoto(): Promise<Blob>; grabFrame(): Promise<ImageBitmap> };

const blobBytes = async (b: Blob) => new Uint8Array(await b.arrayBuffer());

/** Full-resolution still from the local camera track. */
export async function captureFromTrack(track: MediaStreamTrack, fallbackVideo?: HTMLVideoElement | null, mime: StillMime = 'image/jpeg'): Promise<CapturedStill> {
  const IC = (globalThis as unknown as { ImageCapture?: ImageCaptureCtor }).ImageCapture;
  if (IC) {
    try {
      const blob = await new IC(track).takePhoto();
      const bytes = await blobBytes(blob);
      const info = sniffImage(bytes);
      if (info && bytes.length <= MAX_STILL_BYTES) return { bytes, ...info, method: 'takePhoto' };
    } catch { /* takePhoto is unsupported for many tracks (and for fake devices): fall through */ }
    try {
      const bmp = await new IC(track).grabFrame();
      const bytes = await encodeImage(bmp, bmp.width, bmp.height, mime);
      const r = { bytes, mime, width: bmp.width, height: bmp.height, method: 'grabFrame' as const };
      bmp.close();
      return r;
    } catch { /* fall through to the video element */ }
  }
  const v = fallbackVideo;
  if (!v || !v.videoWidth) throw new Error('no camera frame to capture');
  return { bytes: await encodeImage(v, v.videoWidth, v.videoHeight, mime), mime, width: v.videoWidth, height: v.videoHeight, method: 'video' };
}

/** The fallback on the agent side: the current frame of the remote (compressed) video. */
export async function grabRemoteFrame(video: HTMLVideoElement): Promise<CapturedStill> {
  const frame = grabVideoFrame(video);
  if (!frame) throw new Error('no remote video frame');
  return { bytes: await encodeCanvas(frame, 'image/jpeg', 0.92), mime: 'image/jpeg', width: frame.width, height: frame.height, method: 'remote-frame' };
}

/**
 * A photo the customer picked from the gallery or files. JPEG/PNG/WebP within
 * the size limit go as they are (their own bytes are the evidence); anything
 * else the browser can decode (HEIC on Safari, GIF, BMP) or anything too
 * large is re-encoded as JPEG, scaled down if it must be.
 */
export async function stillFromFile(file: File): Promise<CapturedStill> {
  const bytes = await blobBytes(file);
  const info = sniffImage(bytes);
  if (info && bytes.length <= MAX_STILL_BYTES) return { bytes, ...info, method: 'file' };
  const bmp = await createImageBitmap(file);
  let { width, height } = bmp;
  for (let q = 0.92, scale = 1; ; q -= 0.1, scale *= 0.8) {
    const w = Math.round(width * scale), h = Math.round(height * scale);
    const out = await encodeImage(bmp, w, h, 'image/jpeg', Math.max(0.6, q));
    if (out.length <= MAX_STILL_BYTES || scale < 0.2) { bmp.close(); return { bytes: out, mime: 'image/jpeg', width: w, height: h, method: 'file' }; }
  }
}
