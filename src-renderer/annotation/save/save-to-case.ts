/**
 * "Save to case": the annotation set (the model's shapes, as JSON in the
 * event) plus two pieces of content-addressed evidence, the frame the marks
 * were drawn on and the composite (frame + marks), through the cases contract.
 */
import type { ChannelName, Input, Output, Result } from '../../../src-preload/api';
import type { AnnotationDoc } from '../model/doc';
import { bytesToBase64 } from '../../bytes/base64';
import { encodeImage } from '../../image/encode';
import { renderComposite } from './composite';

type Invoke = <C extends ChannelName>(channel: C, input: Input<C>) => Promise<Result<Output<C>>>;

export interface FrameSource { image: CanvasImageSource; w: number; h: number; bytes: Uint8Array | null; mime: string }

export interface SavedSet { seq: number; setId: string; frameSha256: string; compositeSha256: string; shapes: number }

export async function saveAnnotationSet(invoke: Invoke, caseId: number, doc: AnnotationDoc, frame: FrameSource, setId: string): Promise<Result<SavedSet>> {
  try {
    const frameBytes = frame.bytes ?? await encodeImage(frame.image, frame.w, frame.h, 'image/jpeg', 0.92);
    const frameMime = frame.bytes ? frame.mime : 'image/jpeg';
    if (frameMime !== 'image/jpeg' && frameMime !== 'image/png' && frameMime !== 'image/webp') {
      return { ok: false, error: { code: 'invalid_argument', message: `unsupported frame type ${frameMime}` } };
    }
    const composite = await renderComposite(doc, frame.image, frame.w, frame.h);
    const f = await invoke('cases:putEvidence', { caseId, mime: frameMime, bytesBase64: await bytesToBase64(frameBytes) });
    if (!f.ok) return f;
    const c = await invoke('cases:putEvidence', { caseId, mime: 'image/png', bytesBase64: await bytesToBase64(composite) });
    if (!c.ok) return c;
    const shapes = doc.snapshot().shapes as unknown as Array<{ kind: string; [k: string]: unknown }>;
    const ev = await invoke('cases:appendEvent', {
      caseId,
      event: { type: 'annotation_set', setId, frameSha256: f.value.sha256, compositeSha256: c.value.sha256, shapes },
    });
    if (!ev.ok) return ev;
    return { ok: true, value: { seq: ev.value.seq, setId, frameSha256: f.value.sha256, compositeSha256: c.value.sha256, shapes: shapes.length } };
  } catch (err) {
    return { ok: false, error: { code: 'internal', message: (err as Error).message } };
  }
}
