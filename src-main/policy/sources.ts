/**
 * Where policy comes from on each platform, read into PolicyLayers for the
 * pure resolver. The Windows registry and macOS managed preferences are read
 * through injected readers (RegistryReader, ManagedPrefsReader): the real
 * ones shell out to `reg query` and `plutil`; tests on Linux inject fakes,
 * since neither a registry nor managed preferences exist here.
 *
 * Reading is synchronous on purpose: it happens once at start-up, before any
 * service is built, and the readers take milliseconds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import plist from 'plist';
import { BUNDLE_ID, LINUX_POLICY_FILE, POLICY_FILE_ENV, RECOMMENDED, REGISTRY_PATH } from './manifest';
import { resolvePolicy, type EffectivePolicy, type PolicyIssue, type PolicyLayer } from './resolve';

// ---------- Windows ----------

export type RegHive = 'HKLM' | 'HKCU';
export interface RegistryValue { type: string; data: string | number | string[] }

/** Reads the values (not subkeys) of one registry key; null when the key does not exist. */
export interface RegistryReader {
  readValues(hive: RegHive, path: string): Record<string, RegistryValue> | null;
}

/** Parse `reg query <key>` output (values of that key only). */
export function parseRegQuery(text: string): Record<string, RegistryValue> {
  const out: Record<string, RegistryValue> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^ {4}(.+?) {4}(REG_[A-Z_]+) {4}(.*)$/.exec(line) ?? /^ {4}(.+?) {4}(REG_[A-Z_]+)$/.exec(line);
    if (!m) continue;
    const [, name, type, rawData = ''] = m as unknown as [string, string, string, string?];
    let data: string | number | string[] = rawData;
    if (type === 'REG_DWORD' || type === 'REG_QWORD') data = Number.parseInt(rawData, 16);
    else if (type === 'REG_MULTI_SZ') data = rawData === '' ? [] : rawData.split('\\0').filter((x) => x !== '');
    out[name!] = { type: type!, data };
  }
  return out;
}

/** The real reader: `reg query`, which every Windows has (no native module to rebuild). */
export const regQueryReader: RegistryReader = {
  readValues(hive, path) {
    try {
      const text = execFileSync('reg', ['query', `${hive}\\${path}`], { encoding: 'utf8', windowsHide: true, timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
      return parseRegQuery(text);
    } catch {
      return null; // exit status 1: the key does not exist
    }
  },
};

function registryLayers(reader: RegistryReader): PolicyLayer[] {
  const layers: PolicyLayer[] = [];
  const add = (hive: RegHive, path: string, level: PolicyLayer['level']) => {
    const v = reader.readValues(hive, path);
    if (!v) return;
    layers.push({ level, origin: `${hive}\\${path}`, keyedBy: 'policyName', values: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x.data])) });
  };
  add('HKLM', REGISTRY_PATH, 'machine');
  add('HKCU', REGISTRY_PATH, 'userPolicy');
  add('HKLM', `${REGISTRY_PATH}\\${RECOMMENDED}`, 'recommended');
  add('HKCU', `${REGISTRY_PATH}\\${RECOMMENDED}`, 'recommended');
  return layers;
}

// ---------- macOS ----------

/** Reads a managed-preferences plist (binary or XML); null when it does not exist. */
export interface ManagedPrefsReader {
  read(file: string): Record<string, unknown> | null;
}

/** The real reader: plutil turns MDM's binary plists into XML, which the plist package parses. */
export const plutilReader: ManagedPrefsReader = {
  read(file) {
    if (!existsSync(file)) return null;
    const xml = execFileSync('/usr/bin/plutil', ['-convert', 'xml1', '-o', '-', file], { encoding: 'utf8', timeout: 5000 });
    return plist.parse(xml) as Record<string, unknown>;
  },
};

export const MAC_MANAGED_DIR = '/Library/Managed Preferences';

function splitRecommended(values: Record<string, unknown>): { enforced: Record<string, unknown>; recommended: Record<string, unknown> | null } {
  const { [RECOMMENDED]: rec, ...enforced } = values;
  return { enforced, recommended: rec && typeof rec === 'object' && !Array.isArray(rec) ? (rec as Record<string, unknown>) : null };
}

function macLayers(reader: ManagedPrefsReader, userName: string | undefined, issues: PolicyIssue[]): PolicyLayer[] {
  const layers: PolicyLayer[] = [];
  const files: [string, PolicyLayer['level']][] = [[join(MAC_MANAGED_DIR, `${BUNDLE_ID}.plist`), 'machine']];
  if (userName) files.push([join(MAC_MANAGED_DIR, userName, `${BUNDLE_ID}.plist`), 'userPolicy']);
  const recommended: PolicyLayer[] = [];
  for (const [file, level] of files) {
    let v: Record<string, unknown> | null;
    try { v = reader.read(file); } catch (err) { issues.push({ origin: file, message: `could not be read: ${(err as Error).message}` }); continue; }
    if (!v) continue;
    const { enforced, recommended: rec } = splitRecommended(v);
    layers.push({ level, origin: file, keyedBy: 'policyName', values: enforced });
    if (rec) recommended.push({ level: 'recommended', origin: `${file} (${RECOMMENDED})`, keyedBy: 'policyName', values: rec });
  }
  return [...layers, ...recommended];
}

// ---------- Linux (and the file named by VISUAL_ASSIST_POLICY_FILE) ----------

/** The JSON policy file: policy names at the top level are enforced; a `Recommended` object holds user-changeable defaults. */
export function readPolicyFile(file: string, issues: PolicyIssue[]): PolicyLayer[] {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') issues.push({ origin: file, message: `could not be read: ${(err as Error).message}` });
    return [];
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch { issues.push({ origin: file, message: 'not valid JSON' }); return []; }
  if (!json || typeof json !== 'object' || Array.isArray(json)) { issues.push({ origin: file, message: 'must be a JSON object' }); return []; }
  const { enforced, recommended } = splitRecommended(json as Record<string, unknown>);
  const layers: PolicyLayer[] = [{ level: 'machine', origin: file, keyedBy: 'policyName', values: enforced }];
  if (recommended) layers.push({ level: 'recommended', origin: `${file} (${RECOMMENDED})`, keyedBy: 'policyName', values: recommended });
  return layers;
}

// ---------- the user's own settings ----------

export const USER_SETTINGS_FILE = 'settings.json';

export function readUserSettings(file: string, issues: PolicyIssue[]): PolicyLayer[] {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') issues.push({ origin: file, message: `could not be read: ${(err as Error).message}` });
    return [];
  }
  try {
    const json = JSON.parse(text) as unknown;
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not an object');
    return [{ level: 'user', origin: file, keyedBy: 'key', values: json as Record<string, unknown> }];
  } catch {
    issues.push({ origin: file, message: 'not a JSON object of settings (ignored)' });
    return [];
  }
}

// ---------- everything, for this machine ----------

export interface PolicyEnvironment {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Folder of the user's settings.json; omit to leave the user level out (the CLI's --no-user). */
  dataDir?: string | null;
  registry?: RegistryReader;
  managedPrefs?: ManagedPrefsReader;
  /** macOS short user name for per-user managed preferences (default: $USER). */
  userName?: string;
  /** Linux system file (default /etc/visual-assist/policy.json); tests point it at a temp path. */
  linuxPolicyFile?: string;
}

/**
 * Every layer for this platform. On Linux the system file comes first and the
 * file named by VISUAL_ASSIST_POLICY_FILE second, both enforced: the variable
 * adds a source (tests, kiosks) but cannot override what the administrator's
 * /etc file sets, since any user can set an environment variable.
 */
export function readPolicyLayers(e: PolicyEnvironment = {}): { layers: PolicyLayer[]; issues: PolicyIssue[] } {
  const platform = e.platform ?? process.platform;
  const env = e.env ?? process.env;
  const issues: PolicyIssue[] = [];
  const layers: PolicyLayer[] = [];
  if (platform === 'win32') layers.push(...registryLayers(e.registry ?? regQueryReader));
  else if (platform === 'darwin') layers.push(...macLayers(e.managedPrefs ?? plutilReader, e.userName ?? env.USER, issues));
  else layers.push(...readPolicyFile(e.linuxPolicyFile ?? LINUX_POLICY_FILE, issues));
  const extra = env[POLICY_FILE_ENV];
  if (extra && platform !== 'win32' && platform !== 'darwin') layers.push(...readPolicyFile(extra, issues));
  if (e.dataDir) layers.push(...readUserSettings(join(e.dataDir, USER_SETTINGS_FILE), issues));
  return { layers, issues };
}

export function loadEffectivePolicy(e: PolicyEnvironment = {}): EffectivePolicy {
  const { layers, issues } = readPolicyLayers(e);
  return resolvePolicy(layers, issues);
}
