/**
 * Reads the viewport (intrinsic frame size, element box, object-fit, mirror)
 * of a <video> element and keeps it current as the video resizes, the window
 * resizes, or the camera changes resolution/orientation mid-call.
 */
import { normaliseRotation, type ObjectFit, type Rotation, type Viewport } from '../model/coords';

const FITS: readonly ObjectFit[] = ['contain', 'cover', 'fill', 'none', 'scale-down'];

/** Horizontal mirror from a computed CSS transform (scaleX(-1) selfie previews). */
export function mirroredFromTransform(transform: string): boolean {
  const m = /^matrix\(([^)]+)\)$/.exec(transform.trim());
  if (!m) return false;
  const [a, b, c, d] = m[1]!.split(',').map(Number) as [number, number, number, number];
  return a * d - b * c < 0;
}

export function readViewport(video: HTMLVideoElement, rotation: Rotation = 0): Viewport {
  const cs = getComputedStyle(video);
  const fit = (FITS as readonly string[]).includes(cs.objectFit) ? (cs.objectFit as ObjectFit) : 'contain';
  return {
    frameW: video.videoWidth || 0,
    frameH: video.videoHeight || 0,
    boxW: video.clientWidth,
    boxH: video.clientHeight,
    fit,
    rotation: normaliseRotation(rotation),
    mirrored: mirroredFromTransform(cs.transform),
  };
}

/** Box of `el` relative to `host` (where the overlay is positioned). */
export function boxWithin(el: HTMLElement, host: HTMLElement): { left: number; top: number } {
  const a = el.getBoundingClientRect(), b = host.getBoundingClientRect();
  return { left: a.left - b.left + host.scrollLeft - host.clientLeft, top: a.top - b.top + host.scrollTop - host.clientTop };
}

/** Call `fn` whenever anything that changes the viewport may have changed. */
export function watchVideo(video: HTMLVideoElement, fn: () => void): () => void {
  const ro = new ResizeObserver(() => fn());
  ro.observe(video);
  const events = ['resize', 'loadedmetadata', 'playing'] as const;
  for (const e of events) video.addEventListener(e, fn);
  window.addEventListener('resize', fn);
  // Camera rotation on phones changes videoWidth/Height without always firing 'resize' on the element.
  const poll = setInterval(fn, 1000);
  return () => {
    ro.disconnect();
    for (const e of events) video.removeEventListener(e, fn);
    window.removeEventListener('resize', fn);
    clearInterval(poll);
  };
}
