import { describe, expect, it } from 'vitest';
import { caseChannels, CaseEventBody, Disposition } from '../../../src-preload/contract/cases';

describe('case contract', () => {
  it('needs a parts-and-tools list for a technician dispatch', () => {
    expect(Disposition.safeParse({ outcome: 'technician_dispatch', summary: 'send a tech' }).success).toBe(false);
    expect(Disposition.safeParse({ outcome: 'technician_dispatch', summary: 'send a tech', partsAndTools: [{ item: 'ONT', qty: 1 }] }).success).toBe(true);
    expect(Disposition.safeParse({ outcome: 'escalated_fraud', summary: 'card not theirs' }).success).toBe(true);
    expect(Disposition.safeParse({ outcome: 'refund', summary: '' }).success).toBe(false);
  });

  it('bounds every event field', () => {
    expect(CaseEventBody.safeParse({ type: 'note', text: 'x'.repeat(10_001) }).success).toBe(false);
    expect(CaseEventBody.safeParse({ type: 'note', text: '   ' }).success).toBe(false);
    expect(CaseEventBody.safeParse({ type: 'snapshot', sha256: 'abc', mime: 'image/png', width: 1, height: 1 }).success).toBe(false);
    expect(CaseEventBody.safeParse({ type: 'annotation_set', setId: 's', shapes: Array.from({ length: 2001 }, () => ({ kind: 'arrow' })) }).success).toBe(false);
    expect(CaseEventBody.safeParse({ type: 'unknown_kind' }).success).toBe(false);
    expect(CaseEventBody.safeParse({ type: 'note', text: 'ok', extra: 1 }).success).toBe(false);
  });

  it('names bundles, never paths', () => {
    const imp = caseChannels['cases:importBundle'].input;
    expect(imp.safeParse({ bundleName: '../../etc' }).success).toBe(false);
    expect(imp.safeParse({ bundleName: '/tmp/x' }).success).toBe(false);
    expect(imp.safeParse({ bundleName: 'case-1-20260101T000000' }).success).toBe(true);
  });

  it('refuses a zero or negative credit', () => {
    const credit = caseChannels['cases:issueCredit'].input;
    expect(credit.safeParse({ caseId: 1, amountMinor: 0, reason: 'x' }).success).toBe(false);
    expect(credit.safeParse({ caseId: 1, amountMinor: -5, reason: 'x' }).success).toBe(false);
    expect(credit.safeParse({ caseId: 1, amountMinor: 1.5, reason: 'x' }).success).toBe(false);
  });
});
