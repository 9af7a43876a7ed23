import { AnnotationDoc, contentOf, type NewContent, type Operation } from '../../../src-renderer/annotation/model';

export const style = { color: '#ff0000', width: 0.008 };
export const arrow = (x1 = 0.1, y1 = 0.1, x2 = 0.5, y2 = 0.5): NewContent => ({ kind: 'arrow', x1, y1, x2, y2, style });
export const ellipse = (x = 0.2, y = 0.2, w = 0.3, h = 0.2): NewContent => ({ kind: 'ellipse', x, y, w, h, style });
export const rect = (x = 0.3, y = 0.3, w = 0.1, h = 0.1): NewContent => ({ kind: 'rect', x, y, w, h, style });

/** What a user sees: shapes in stacking order, with their content (no stamps). */
export function visible(doc: AnnotationDoc) {
  return doc.shapes().map((s) => ({ id: s.id, ...contentOf(s) }));
}

export function replay(ops: readonly Operation[], author = 'zviewer'): AnnotationDoc {
  const d = new AnnotationDoc(author);
  for (const op of ops) {
    const r = d.apply(structuredClone(op));
    if (!r.ok) throw new Error(r.error.message);
  }
  return d;
}
