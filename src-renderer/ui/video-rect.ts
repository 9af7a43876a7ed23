/**
 * Where the picture actually is inside a <video> with object-fit: contain
 * (letterboxing), in CSS pixels relative to the element. Overlays (annotation
 * stages) map normalised 0..1 frame coordinates through this rect.
 */
export interface Rect { x: number; y: number; width: number; height: number }

export function containRect(box: { width: number; height: number }, frame: { width: number; height: number }): Rect {
  if (!frame.width || !frame.height || !box.width || !box.height) return { x: 0, y: 0, width: box.width, height: box.height };
  const scale = Math.min(box.width / frame.width, box.height / frame.height);
  const width = frame.width * scale, height = frame.height * scale;
  return { x: (box.width - width) / 2, y: (box.height - height) / 2, width, height };
}

export function videoContentRect(v: HTMLVideoElement): Rect {
  return containRect({ width: v.clientWidth, height: v.clientHeight }, { width: v.videoWidth, height: v.videoHeight });
}
