/**
 * The resolver: pure, no I/O. Given the layers read from each source, it
 * picks every setting's effective value and says where it came from.
 *
 * Precedence, highest first (the same order VS Code and Chrome use):
 *   1. machine      enforced machine policy: HKLM\Software\Policies\VisualAssist\Workstation,
 *                   macOS /Library/Managed Preferences/<bundle id>.plist,
 *                   Linux /etc/visual-assist/policy.json (then $VISUAL_ASSIST_POLICY_FILE)
 *   2. userPolicy   enforced user policy: HKCU\Software\Policies\…, macOS per-user managed preferences
 *   3. user         the user's own settings (only for settings the manifest marks userSettable)
 *   4. recommended  defaults set by policy that users may change: the `Recommended` subkey /
 *                   dictionary / object. They replace the built-in default, and a user's own
 *                   choice replaces them: were they above the user's settings, users could not
 *                   change them (Chrome's "recommended" policies work this way).
 *   5. default      the manifest's built-in default
 * Within one level the first layer given wins. A value that does not fit the
 * setting's type is skipped with an issue recorded (never silently coerced),
 * and the next source decides: the same rule VS Code applies to bad policy
 * values. Settings from levels 1–2 are enforced: the UI shows them read-only
 * and main refuses user writes to them.
 */
import { MANIFEST, SETTINGS_BY_KEY, SETTINGS_BY_POLICY_NAME, type PolicySetting, type SettingKey, type SettingValues } from './manifest';

export type SourceLevel = 'machine' | 'userPolicy' | 'recommended' | 'user' | 'default';
export const LEVELS: readonly SourceLevel[] = ['machine', 'userPolicy', 'user', 'recommended', 'default'];
export const ENFORCED_LEVELS: ReadonlySet<SourceLevel> = new Set(['machine', 'userPolicy']);

/** One source's raw values, as read (registry values, plist or JSON), before typing. */
export interface PolicyLayer {
  level: Exclude<SourceLevel, 'default'>;
  /** Where it was read: a file path or a registry key (shown to admins as the source). */
  origin: string;
  /** Policy layers are keyed by policy name (UpdateMode); the user's settings file by key (update.mode). */
  keyedBy: 'policyName' | 'key';
  values: Readonly<Record<string, unknown>>;
}

export interface PolicyIssue {
  origin: string;
  /** The policy name or key the issue is about; absent for a whole source (unreadable file). */
  name?: string;
  message: string;
}

/** The layers read from this machine's sources, with what could not be read. */
export interface PolicySources { layers: readonly PolicyLayer[]; issues: readonly PolicyIssue[] }

export interface EffectiveSetting<K extends SettingKey = SettingKey> {
  key: K;
  policyName: string;
  value: SettingValues[K];
  source: SourceLevel;
  /** File or registry key the value came from (null for built-in defaults). */
  origin: string | null;
  /** Set by machine or user policy: read-only for the user. */
  enforced: boolean;
  /** May the user change it now (userSettable in the manifest and not enforced)? */
  editable: boolean;
}

export interface EffectivePolicy {
  settings: { [K in SettingKey]: EffectiveSetting<K> };
  issues: PolicyIssue[];
  get<K extends SettingKey>(key: K): SettingValues[K];
}

/** Turn a raw registry/plist/JSON value into the setting's shape; the zod schema then has the last word. */
export function coerce(s: PolicySetting, raw: unknown): unknown {
  switch (s.kind) {
    case 'boolean':
      if (raw === 0 || raw === 1) return raw === 1; // REG_DWORD
      if (raw === 'true' || raw === 'false') return raw === 'true';
      return raw;
    case 'integer':
      if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) return Number(raw.trim());
      return raw;
    case 'list':
      // REG_MULTI_SZ arrives as an array; a REG_SZ may hold one entry per line.
      if (typeof raw === 'string') return raw.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
      return raw;
    case 'json':
      if (typeof raw === 'string') {
        try { return JSON.parse(raw); } catch { return raw; }
      }
      return raw;
    default:
      return raw;
  }
}

function lookup(layer: PolicyLayer, s: PolicySetting): { found: boolean; raw?: unknown } {
  const name = layer.keyedBy === 'policyName' ? s.policyName : s.key;
  return Object.hasOwn(layer.values, name) ? { found: true, raw: layer.values[name] } : { found: false };
}

/** Resolve every manifest setting over the layers (any order; sorted by level here, stable within a level). */
export function resolvePolicy(layers: readonly PolicyLayer[], readIssues: readonly PolicyIssue[] = []): EffectivePolicy {
  const ordered = [...layers].sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level));
  const issues: PolicyIssue[] = [...readIssues];
  // Names a source sets that the manifest does not know: a typo in a GPO should be visible, not ignored.
  for (const l of ordered) {
    const known = l.keyedBy === 'policyName' ? SETTINGS_BY_POLICY_NAME : SETTINGS_BY_KEY;
    for (const name of Object.keys(l.values)) if (!known.has(name)) issues.push({ origin: l.origin, name, message: 'unknown setting (ignored)' });
  }
  const settings = {} as Record<string, EffectiveSetting>;
  for (const s of MANIFEST as readonly PolicySetting[]) {
    let picked: EffectiveSetting | null = null;
    for (const l of ordered) {
      if (l.level === 'user' && !s.userSettable) continue;
      const { found, raw } = lookup(l, s);
      if (!found) continue;
      const r = s.schema.safeParse(coerce(s, raw));
      if (!r.success) {
        issues.push({ origin: l.origin, name: l.keyedBy === 'policyName' ? s.policyName : s.key, message: r.error.issues[0]?.message ?? 'invalid value' });
        continue;
      }
      const enforced = ENFORCED_LEVELS.has(l.level);
      picked = { key: s.key as SettingKey, policyName: s.policyName, value: r.data as never, source: l.level, origin: l.origin, enforced, editable: s.userSettable && !enforced };
      break;
    }
    settings[s.key] = picked ?? { key: s.key as SettingKey, policyName: s.policyName, value: s.default as never, source: 'default', origin: null, enforced: false, editable: s.userSettable };
  }
  const typed = settings as EffectivePolicy['settings'];
  return { settings: typed, issues, get: (key) => typed[key].value };
}
