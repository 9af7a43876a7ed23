/**
 * The flattened picture for case evidence: the frame at its own resolution
 * with the marks drawn by the same node builder the live stages use.
 */
import type { AnnotationDoc } from '../model/doc';
import { AnnotationScene } from '../render/scene';

export async function renderComposite(doc: AnnotationDoc, frame: CanvasImageSource, w: number, h: number, mime: 'image/png' | 'image/jpeg' = 'image/png'): Promise<Uint8Array> {
  const host = document.createElement('div');
  const scene = new AnnotationScene(host, doc, { frameW: w, frameH: h, boxW: w, boxH: h, fit: 'fill' }, { interactive: false });
  try {
    scene.setStill(frame);
    const canvas = scene.stage.toCanvas({ pixelRatio: 1 });
    const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, mime, 0.92));
    if (!blob) throw new Error('could not encode the composite image');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    scene.destroy();
  }
}

