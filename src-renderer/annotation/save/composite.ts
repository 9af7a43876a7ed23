/**
 * The flattened picture for case evidence: the frame at its own resolution
 * with the marks drawn by the same node builder the live stages use.
 */
import type { AnnotationDoc } from '../model/doc';
import { encodeCanvas } from '../../image/encode';
import { AnnotationScene } from '../render/scene';

export async function renderComposite(doc: AnnotationDoc, frame: CanvasImageSource, w: number, h: number, mime: 'image/png' | 'image/jpeg' = 'image/png'): Promise<Uint8Array> {
  const host = document.createElement('div');
  const scene = new AnnotationScene(host, doc, { frameW: w, frameH: h, boxW: w, boxH: h, fit: 'fill' }, { interactive: false });
  try {
    scene.setStill(frame);
    return await encodeCanvas(scene.stage.toCanvas({ pixelRatio: 1 }), mime, 0.92);
  } finally {
    scene.destroy();
  }
}

