import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currencyDigits } from '../../../src-preload/contract/money';
import { loadPolicy } from '../../../src-main/policy/policy';

const file = (content: string) => {
  const p = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
  writeFileSync(p, content);
  return p;
};

describe('credit policy', () => {
  it('defaults to an audit threshold of 250 in the account currency', () => {
    const p = loadPolicy(null);
    expect(p.error).toBeNull();
    expect(p.credits('USD')).toEqual({ limitWithoutApprovalMinor: 50_000, auditThresholdMinor: 25_000 });
    expect(p.credits('JPY')).toEqual({ limitWithoutApprovalMinor: 500, auditThresholdMinor: 250 });
    expect(loadPolicy('/nonexistent/policy.json').credits('EUR').auditThresholdMinor).toBe(25_000);
  });

  it('reads limits and per-currency overrides from the file', () => {
    const p = loadPolicy(file(JSON.stringify({ credits: { limitWithoutApproval: 100, auditThreshold: 50, perCurrency: { JPY: { limitWithoutApproval: 20000, auditThreshold: 30000 } } } })));
    expect(p.error).toBeNull();
    expect(p.credits('USD')).toEqual({ limitWithoutApprovalMinor: 10_000, auditThresholdMinor: 5_000 });
    expect(p.credits('JPY')).toEqual({ limitWithoutApprovalMinor: 20_000, auditThresholdMinor: 30_000 });
  });

  it('falls back to the most restrictive policy and says why when the file is bad', () => {
    const broken = loadPolicy(file('{ not json'));
    expect(broken.error).toMatch(/not valid JSON/);
    expect(broken.credits('USD')).toEqual({ limitWithoutApprovalMinor: 0, auditThresholdMinor: 0 });
    const wrong = loadPolicy(file(JSON.stringify({ credits: { auditThreshold: -1 } })));
    expect(wrong.error).toMatch(/credits\.auditThreshold/);
    expect(wrong.credits('USD').limitWithoutApprovalMinor).toBe(0);
  });

  it('knows minor units per currency', () => {
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
  });
});

describe('credit policy through the managed-policy resolver', () => {
  const machine = (values: Record<string, unknown>) => ({ level: 'machine' as const, origin: 'HKLM\\Software\\Policies\\VisualAssist\\Workstation', keyedBy: 'policyName' as const, values });

  it('enforced policy outranks the credit file, which outranks the defaults', () => {
    const p = loadPolicy(file(JSON.stringify({ credits: { limitWithoutApproval: 100, auditThreshold: 50 } })), [machine({ CreditLimitWithoutApproval: 40 })]);
    expect(p.error).toBeNull();
    expect(p.credits('USD')).toEqual({ limitWithoutApprovalMinor: 4_000, auditThresholdMinor: 5_000 });
    expect(p.effective.settings['credits.limitWithoutApproval']).toMatchObject({ source: 'machine', enforced: true });
    expect(p.effective.settings['credits.auditThreshold']).toMatchObject({ source: 'recommended', enforced: false });
    expect(p.creditsPerAgentDay('JPY')).toEqual({ limitWithoutApprovalMinor: 2000, auditThresholdMinor: 1000 });
  });

  it('per-agent-day keys and per-currency JSON come from policy', () => {
    const p = loadPolicy(null, [machine({ CreditPerAgentDayLimitWithoutApproval: 300, CreditPerAgentDayAuditThreshold: 120, CreditPerCurrency: '{"JPY":{"limitWithoutApproval":30000}}' })]);
    expect(p.creditsPerAgentDay('USD')).toEqual({ limitWithoutApprovalMinor: 30_000, auditThresholdMinor: 12_000 });
    expect(p.credits('JPY')).toEqual({ limitWithoutApprovalMinor: 30_000, auditThresholdMinor: 250 });
  });

  it('a credit policy value that does not fit makes the policy restrictive and says where', () => {
    const p = loadPolicy(null, [machine({ CreditAuditThreshold: -5 })]);
    expect(p.error).toMatch(/HKLM.*CreditAuditThreshold/);
    expect(p.credits('USD')).toEqual({ limitWithoutApprovalMinor: 0, auditThresholdMinor: 0 });
  });
});
