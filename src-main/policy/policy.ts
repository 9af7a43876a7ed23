import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CurrencyCode, toMinor } from '../../src-preload/contract/money';

/**
 * Credit policy, from a JSON file the contact centre controls. Amounts in the
 * file are in major units (250 = 250 USD or 250 JPY); code works in minor
 * units. If the file is present but invalid, the most restrictive policy
 * applies (every credit needs approval and is audited) and the error is
 * shown to the agent, rather than silently using defaults.
 */
const Amount = z.number().min(0).max(10_000_000);
const Limits = z.object({ limitWithoutApproval: Amount.optional(), auditThreshold: Amount.optional() }).strict();
/**
 * The agent's audio processing (issue 18). A key present is managed: the
 * agent cannot change it; a key absent is the agent's choice (on by default).
 */
const AudioPolicy = z.object({
  echoCancellation: z.boolean().optional(),
  noiseSuppression: z.boolean().optional(),
  autoGainControl: z.boolean().optional(),
}).strict();
export type AudioPolicy = z.infer<typeof AudioPolicy>;

export const PolicyFile = z.object({
  audio: AudioPolicy.optional(),
  credits: z.object({
    limitWithoutApproval: Amount.default(500),
    auditThreshold: Amount.default(250),
    perCurrency: z.record(CurrencyCode, Limits).default({}),
  }).strict().default({ limitWithoutApproval: 500, auditThreshold: 250, perCurrency: {} }),
}).strict();
export type PolicyFile = z.infer<typeof PolicyFile>;

export interface CreditLimits { limitWithoutApprovalMinor: number; auditThresholdMinor: number }

export interface Policy {
  /** Why the restrictive fallback is in force, or null when the file (or defaults) loaded. */
  error: string | null;
  credits(currency: string): CreditLimits;
  /** The managed audio-processing keys (absent = not managed). */
  audio(): AudioPolicy;
}

export function policyFrom(file: PolicyFile, error: string | null = null): Policy {
  return {
    error,
    // An unreadable file manages no audio key: processing stays on, the safe default.
    audio: () => ({ ...(file.audio ?? {}) }),
    credits(currency) {
      const per = file.credits.perCurrency[currency] ?? {};
      return {
        limitWithoutApprovalMinor: toMinor(per.limitWithoutApproval ?? file.credits.limitWithoutApproval, currency),
        auditThresholdMinor: toMinor(per.auditThreshold ?? file.credits.auditThreshold, currency),
      };
    },
  };
}

const RESTRICTIVE: PolicyFile = { credits: { limitWithoutApproval: 0, auditThreshold: 0, perCurrency: {} } };

/** Load the policy file; a missing file means the defaults (limit 500, audit above 250). */
export function loadPolicy(path?: string | null): Policy {
  if (!path) return policyFrom(PolicyFile.parse({}));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return policyFrom(PolicyFile.parse({}));
    return policyFrom(RESTRICTIVE, `policy file ${path} could not be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return policyFrom(RESTRICTIVE, `policy file ${path} is not valid JSON`);
  }
  const r = PolicyFile.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    return policyFrom(RESTRICTIVE, `policy file ${path}: ${i?.path.join('.') || 'root'}: ${i?.message ?? 'invalid'}`);
  }
  return policyFrom(r.data);
}
