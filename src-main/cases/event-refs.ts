import type { CaseEventBody } from '../../src-preload/contract/cases';

/** Evidence hashes an event refers to; each must already be stored. */
export function evidenceRefs(body: CaseEventBody): string[] {
  switch (body.type) {
    case 'snapshot': return [body.sha256, ...(body.thumbSha256 ? [body.thumbSha256] : [])];
    case 'ocr_result': return body.snapshotSha256 ? [body.snapshotSha256] : [];
    case 'ocr_field_review': return [body.snapshotSha256];
    case 'annotation_set': return [body.frameSha256, body.compositeSha256].filter((s): s is string => !!s);
    default: return [];
  }
}
