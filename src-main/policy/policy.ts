import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CurrencyCode, toMinor } from '../../src-preload/contract/money';
import { SETTINGS_BY_POLICY_NAME } from './manifest';
import { resolvePolicy, type EffectivePolicy, type PolicyIssue, type PolicyLayer } from './resolve';

/**
 * Credit policy, read through the managed-policy resolver (manifest keys
 * `credits.limitWithoutApproval`, `credits.auditThreshold`,
 * `credits.perAgentDay.*`, `credits.perCurrency`). Sources, highest first:
 * enforced machine and user policy, recommended policy, then the contact
 * centre's credit file (VISUAL_ASSIST_POLICY or <dataData>/policy.json, the
 * format this app had before managed policy), then the built-in defaults.
 * Users' own settings never reach credit limits (not userSettable).
 *
 * Amounts are in major units (250 = 250 USD or 250 JPY); code works in minor
 * units. If the credit file or a credit policy value is invalid, the most
 * restrictive policy applies (every credit needs approval and is audited) and
 * the error is shown to the agent, rather than silently using defaults.
 */
const Amount = z.number().int().min(0).max(10_000_000);
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

/** The credit file (no defaults here: missing fields fall through to the next source). */
export const PolicyFile = z.object({
  audio: AudioPolicy.optional(),
  credits: z.object({
    limitWithoutApproval: Amount.optional(),
    auditThreshold: Amount.optional(),
    perAgentDay: Limits.optional(),
    perCurrency: z.record(CurrencyCode, Limits).optional(),
  }).strict().optional(),
}).strict();
export type PolicyFile = z.infer<typeof PolicyFile>;

export interface CreditLimits { limitWithoutApprovalMinor: number; auditThresholdMinor: number }

export interface Policy {
  /** Why the restrictive fallback is in force, or null when the sources (or defaults) loaded. */
  error: string | null;
  /** Limits on a case's running total. */
  credits(currency: string): CreditLimits;
  /** Per agent per day, across cases (issue 12's running totals). */
  creditsPerAgentDay(currency: string): CreditLimits;
  /** Every effective setting with its source, for the settings UI, the CLI and diagnostics. */
  effective: EffectivePolicy;
  /** The managed audio-processing keys (absent = not managed). */
  audio(): AudioPolicy;
}

export function policyFrom(effective: EffectivePolicy, error: string | null = null, fileAudio: AudioPolicy = {}): Policy {
  const restrictive = error !== null;
  const minor = (major: number, currency: string) => (restrictive ? 0 : toMinor(major, currency));
  return {
    error,
    effective,
    // Audio keys are managed when enforced by policy or set in the contact centre's file (issue 18);
    // an unreadable file manages no audio key: processing stays on, the safe default.
    audio: () => {
      const out: AudioPolicy = { ...fileAudio };
      for (const k of ['echoCancellation', 'noiseSuppression', 'autoGainControl'] as const) {
        const e = effective.settings[`audio.${k}`];
        if (e.enforced) out[k] = e.value;
      }
      return out;
    },
    credits(currency) {
      const per = effective.get('credits.perCurrency')[currency] ?? {};
      return {
        limitWithoutApprovalMinor: minor(per.limitWithoutApproval ?? effective.get('credits.limitWithoutApproval'), currency),
        auditThresholdMinor: minor(per.auditThreshold ?? effective.get('credits.auditThreshold'), currency),
      };
    },
    creditsPerAgentDay(currency) {
      return {
        limitWithoutApprovalMinor: minor(effective.get('credits.perAgentDay.limitWithoutApproval'), currency),
        auditThresholdMinor: minor(effective.get('credits.perAgentDay.auditThreshold'), currency),
      };
    },
  };
}

/** The credit file as a resolver layer (keyed by manifest key). */
function creditFileLayer(path: string, file: PolicyFile): PolicyLayer {
  const c = file.credits ?? {};
  const values: Record<string, unknown> = {};
  if (c.limitWithoutApproval !== undefined) values['credits.limitWithoutApproval'] = c.limitWithoutApproval;
  if (c.auditThreshold !== undefined) values['credits.auditThreshold'] = c.auditThreshold;
  if (c.perAgentDay?.limitWithoutApproval !== undefined) values['credits.perAgentDay.limitWithoutApproval'] = c.perAgentDay.limitWithoutApproval;
  if (c.perAgentDay?.auditThreshold !== undefined) values['credits.perAgentDay.auditThreshold'] = c.perAgentDay.auditThreshold;
  if (c.perCurrency !== undefined) values['credits.perCurrency'] = c.perCurrency;
  // Below policy, above built-in defaults: the same place as a recommended default.
  return { level: 'recommended', origin: path, keyedBy: 'key', values };
}

function readCreditFile(path: string): { layer: PolicyLayer | null; error: string | null; audio?: AudioPolicy } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { layer: null, error: null };
    return { layer: null, error: `policy file ${path} could not be read: ${(err as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { layer: null, error: `policy file ${path} is not valid JSON` };
  }
  const r = PolicyFile.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    return { layer: null, error: `policy file ${path}: ${i?.path.join('.') || 'root'}: ${i?.message ?? 'invalid'}` };
  }
  return { layer: creditFileLayer(path, r.data), error: null, audio: r.data.audio ?? {} };
}

const isCreditIssue = (i: PolicyIssue) => i.name === undefined || i.name.startsWith('credits.') || (SETTINGS_BY_POLICY_NAME.get(i.name)?.category === 'credits');

/**
 * Load the credit policy: `policyLayers` are the machine's managed-policy
 * layers (read once at start-up by sources.ts), `path` the credit file. A
 * missing file means the next source decides (defaults: limit 500, audit above 250).
 */
export function loadPolicy(path?: string | null, policyLayers: readonly PolicyLayer[] = [], policyIssues: readonly PolicyIssue[] = []): Policy {
  const file: ReturnType<typeof readCreditFile> = path ? readCreditFile(path) : { layer: null, error: null };
  const effective = resolvePolicy(file.layer ? [...policyLayers, file.layer] : policyLayers, policyIssues);
  if (file.error) return policyFrom(effective, file.error);
  // A broken source or a credit value that does not fit: restrictive, and say which.
  const bad = effective.issues.find((i) => isCreditIssue(i) && i.message !== 'unknown setting (ignored)');
  if (bad) return policyFrom(effective, `policy ${bad.origin}${bad.name ? `: ${bad.name}` : ''}: ${bad.message}`, file.audio);
  return policyFrom(effective, null, file.audio);
}
