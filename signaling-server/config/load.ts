/**
 * Load the configuration: defaults < file (JSON) < environment (SIGNALING_*)
 * < flags. Every value remembers where it came from, so a validation error
 * names the field AND the place to fix it ("port (env SIGNALING_PORT): ...").
 * Never throws: returns typed errors the CLI prints before exiting.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Config } from './schema';

type Kind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'keys';
interface Setting { path: string[]; env: string; flag?: string; kind: Kind }

/** Every setting reachable from the environment and from a named flag. Anything else: file or `--set a.b=v`. */
export const SETTINGS: Setting[] = [
  { path: ['host'], env: 'SIGNALING_HOST', flag: 'host', kind: 'string' },
  { path: ['port'], env: 'SIGNALING_PORT', flag: 'port', kind: 'int' },
  { path: ['publicUrl'], env: 'SIGNALING_PUBLIC_URL', flag: 'public-url', kind: 'string' },
  { path: ['nodeId'], env: 'SIGNALING_NODE_ID', flag: 'node-id', kind: 'string' },
  { path: ['tls', 'certFile'], env: 'SIGNALING_TLS_CERT', flag: 'tls-cert', kind: 'string' },
  { path: ['tls', 'keyFile'], env: 'SIGNALING_TLS_KEY', flag: 'tls-key', kind: 'string' },
  { path: ['trustedProxies'], env: 'SIGNALING_TRUSTED_PROXIES', flag: 'trusted-proxies', kind: 'list' },
  // Secrets: environment or file only; a flag would show in `ps`.
  { path: ['auth', 'keys'], env: 'SIGNALING_AUTH_KEYS', kind: 'keys' },
  { path: ['auth', 'activeKid'], env: 'SIGNALING_AUTH_ACTIVE_KID', flag: 'active-kid', kind: 'string' },
  { path: ['invites', 'ttlSec'], env: 'SIGNALING_INVITE_TTL', flag: 'invite-ttl', kind: 'int' },
  { path: ['invites', 'codes'], env: 'SIGNALING_INVITE_CODES', flag: 'invite-codes', kind: 'bool' },
  { path: ['limits', 'maxFrameBytes'], env: 'SIGNALING_MAX_FRAME_BYTES', kind: 'int' },
  { path: ['limits', 'messagesPerSec'], env: 'SIGNALING_MESSAGES_PER_SEC', kind: 'number' },
  { path: ['limits', 'connectionsPerMinPerAddress'], env: 'SIGNALING_CONNECTIONS_PER_MIN', kind: 'number' },
  { path: ['limits', 'maxMembersPerRoom'], env: 'SIGNALING_MAX_MEMBERS', kind: 'int' },
  { path: ['limits', 'idleTimeoutSec'], env: 'SIGNALING_IDLE_TIMEOUT', kind: 'int' },
  { path: ['limits', 'heartbeatIntervalSec'], env: 'SIGNALING_HEARTBEAT_INTERVAL', kind: 'int' },
  { path: ['limits', 'codes', 'digits'], env: 'SIGNALING_CODE_DIGITS', kind: 'int' },
  { path: ['ice', 'stunUrls'], env: 'SIGNALING_STUN_URLS', flag: 'stun-urls', kind: 'list' },
  { path: ['ice', 'turn', 'secret'], env: 'SIGNALING_TURN_SECRET', kind: 'string' },
  { path: ['ice', 'turn', 'urls'], env: 'SIGNALING_TURN_URLS', flag: 'turn-urls', kind: 'list' },
  { path: ['ice', 'turn', 'ttlSec'], env: 'SIGNALING_TURN_TTL', kind: 'int' },
  { path: ['redis', 'url'], env: 'SIGNALING_REDIS_URL', flag: 'redis-url', kind: 'string' },
  { path: ['redis', 'prefix'], env: 'SIGNALING_REDIS_PREFIX', kind: 'string' },
  { path: ['reporting', 'db'], env: 'SIGNALING_REPORTING_DB', flag: 'reporting-db', kind: 'string' },
  { path: ['reporting', 'fcrWindowDays'], env: 'SIGNALING_FCR_WINDOW_DAYS', kind: 'int' },
  { path: ['log', 'level'], env: 'SIGNALING_LOG_LEVEL', flag: 'log-level', kind: 'string' },
  { path: ['drain', 'graceSec'], env: 'SIGNALING_DRAIN_GRACE', flag: 'drain-grace', kind: 'number' },
];
/** Read by the loader itself, not a setting. */
const ENV_CONFIG_FILE = 'SIGNALING_CONFIG';
/** The embedded default's single secret (kid k1); used when no SIGNALING_AUTH_KEYS is given. */
const ENV_SECRET = 'SIGNALING_SECRET';
/** Read by the telephony webhook, not by this loader. */
const ENV_OTHER = ['TELEPHONY_SECRET',
  // sign-in and approvals (issue 12), read by cli.ts
  'SIGNALING_IDP_USERS', 'SIGNALING_IDP_ISSUER', 'SIGNALING_IDP_JWKS_URI', 'SIGNALING_IDP_AUDIENCE', 'SIGNALING_IDP_ROLES_CLAIM', 'SIGNALING_APPROVALS_KEY_FILE', 'SIGNALING_APPROVALS_PUBLISH_KEY_FILES',
  // hand-offs (issue 13): the directory file (skills and queues), read by cli.ts
  'SIGNALING_DIRECTORY'];

export type ConfigResult =
  | { ok: true, config: Config, sources: Record<string, string>, warnings: string[] }
  | { ok: false, errors: string[] };

export interface LoadInput {
  /** Command-line arguments after the command (e.g. ['--port', '0', '--config', 'x.json']). */
  argv?: string[];
  env?: Record<string, string | undefined>;
  /** Overrides applied like flags (the embedded default and tests pass objects). */
  overrides?: Record<string, unknown>;
}

type Tree = Record<string, unknown>;

function convert(kind: Kind, raw: string): { ok: true, value: unknown } | { ok: false, message: string } {
  const s = raw.trim();
  switch (kind) {
    case 'string': return { ok: true, value: s };
    case 'int': return /^-?\d+$/.test(s) ? { ok: true, value: Number(s) } : { ok: false, message: `"${raw}" is not an integer` };
    case 'number': return s !== '' && Number.isFinite(Number(s)) ? { ok: true, value: Number(s) } : { ok: false, message: `"${raw}" is not a number` };
    case 'bool': return /^(1|true|yes|on)$/i.test(s) ? { ok: true, value: true } : /^(0|false|no|off)$/i.test(s) ? { ok: true, value: false } : { ok: false, message: `"${raw}" is not a boolean (true/false)` };
    case 'list': return { ok: true, value: s === '' ? [] : s.split(',').map((x) => x.trim()).filter(Boolean) };
    case 'keys': {
      // kid:secret,kid:secret[:retired]
      const keys = [];
      for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
        const m = /^([^:]+):(.+?)(:retired)?$/.exec(part);
        if (!m) return { ok: false, message: 'expected kid:secret[,kid:secret[:retired]...]' };
        keys.push({ kid: m[1], secret: m[2], retired: Boolean(m[3]) });
      }
      return { ok: true, value: keys };
    }
  }
}

function setPath(tree: Tree, path: string[], value: unknown): void {
  let t = tree;
  for (const k of path.slice(0, -1)) {
    if (typeof t[k] !== 'object' || t[k] === null || Array.isArray(t[k])) t[k] = {};
    t = t[k] as Tree;
  }
  t[path[path.length - 1]!] = value;
}

/** Deep-merge `src` into `dst` (objects merge, arrays and scalars replace), recording each leaf's source. */
function merge(dst: Tree, src: Tree, source: string, sources: Record<string, string>, prefix: string[] = []): void {
  for (const [k, v] of Object.entries(src)) {
    const p = [...prefix, k];
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (typeof dst[k] !== 'object' || dst[k] === null || Array.isArray(dst[k])) dst[k] = {};
      sources[p.join('.')] ??= source;
      merge(dst[k] as Tree, v as Tree, source, sources, p);
    } else {
      dst[k] = v;
      sources[p.join('.')] = source;
    }
  }
}

function sourceOf(path: PropertyKey[], sources: Record<string, string>): string {
  for (let n = path.length; n > 0; n--) {
    const s = sources[path.slice(0, n).map(String).join('.')];
    if (s) return s;
  }
  return 'default';
}

interface ParsedArgs { configFile?: string; values: Array<{ path: string[], value: unknown, source: string }>; errors: string[] }

export function parseFlags(argv: string[]): ParsedArgs {
  const out: ParsedArgs = { values: [], errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { out.errors.push(`unexpected argument "${a}"`); continue; }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const takeValue = (): string | undefined => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) { out.errors.push(`flag --${name} needs a value`); return undefined; }
      i++;
      return v;
    };
    if (name === 'config') { const v = takeValue(); if (v !== undefined) out.configFile = v; continue; }
    if (name === 'set') {
      const v = takeValue();
      if (v === undefined) continue;
      const m = /^([A-Za-z0-9_.]+)=(.*)$/s.exec(v);
      if (!m) { out.errors.push(`--set expects path=value, got "${v}"`); continue; }
      let value: unknown = m[2];
      try { value = JSON.parse(m[2]!); } catch { /* plain string */ }
      out.values.push({ path: m[1]!.split('.'), value, source: `flag --set ${m[1]}` });
      continue;
    }
    const setting = SETTINGS.find((s) => s.flag === name);
    if (!setting) {
      const secret = SETTINGS.find((s) => s.env && !s.flag && s.env.toLowerCase().replace(/^signaling_/, '').replace(/_/g, '-') === name);
      out.errors.push(secret ? `flag --${name}: secrets are read from the environment (${secret.env}) or the config file, never from flags` : `unknown flag --${name}`);
      if (eq < 0 && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) i++;
      continue;
    }
    const v = setting.kind === 'bool' && eq < 0 && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--')) ? 'true' : takeValue();
    if (v === undefined) continue;
    const c = convert(setting.kind, v);
    if (!c.ok) { out.errors.push(`${setting.path.join('.')} (flag --${name}): ${c.message}`); continue; }
    out.values.push({ path: setting.path, value: c.value, source: `flag --${name}` });
  }
  return out;
}

export function loadConfig(input: LoadInput = {}): ConfigResult {
  const env = input.env ?? process.env;
  const errors: string[] = [];
  const warnings: string[] = [];
  const sources: Record<string, string> = {};
  const tree: Tree = {};

  const flags = parseFlags(input.argv ?? []);
  errors.push(...flags.errors);

  const file = flags.configFile ?? env[ENV_CONFIG_FILE];
  if (file) {
    const where = flags.configFile ? `flag --config ${file}` : `env ${ENV_CONFIG_FILE}=${file}`;
    let text: string | undefined;
    try { text = readFileSync(file, 'utf8'); } catch (e) { errors.push(`config file (${where}): cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
    if (text !== undefined) {
      let json: unknown;
      try { json = JSON.parse(text); } catch (e) { errors.push(`config file ${file}: not valid JSON: ${(e as Error).message}`); }
      if (json !== undefined) {
        if (!json || typeof json !== 'object' || Array.isArray(json)) errors.push(`config file ${file}: must hold a JSON object`);
        else merge(tree, json as Tree, `file ${file}`, sources);
      }
    }
  }

  const known = new Set([ENV_CONFIG_FILE, ENV_SECRET, ...ENV_OTHER, ...SETTINGS.map((s) => s.env)]);
  const single = env[ENV_SECRET];
  if (single !== undefined && env.SIGNALING_AUTH_KEYS === undefined) {
    merge(tree, { auth: { keys: [{ kid: 'k1', secret: single }] } }, `env ${ENV_SECRET}`, sources);
  }
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('SIGNALING_') || raw === undefined) continue;
    if (!known.has(name)) { warnings.push(`environment variable ${name} is not a signaling setting (ignored)`); continue; }
    const s = SETTINGS.find((x) => x.env === name);
    if (!s) continue;
    const c = convert(s.kind, raw);
    if (!c.ok) { errors.push(`${s.path.join('.')} (env ${name}): ${c.message}`); continue; }
    const part: Tree = {};
    setPath(part, s.path, c.value);
    merge(tree, part, `env ${name}`, sources);
  }

  for (const v of flags.values) { const part: Tree = {}; setPath(part, v.path, v.value); merge(tree, part, v.source, sources); }
  if (input.overrides) merge(tree, input.overrides as Tree, 'override', sources);

  if (errors.length) return { ok: false, errors };
  const r = Config.safeParse(tree);
  if (!r.success) {
    return {
      ok: false,
      errors: r.error.issues.map((iss) => {
        const path = iss.path.map(String).join('.') || '(root)';
        const keys = (iss as { keys?: string[] }).keys;
        const what = iss.code === 'unrecognized_keys' && keys ? `unknown setting ${keys.map((k) => (path === '(root)' ? k : `${path}.${k}`)).join(', ')}` : iss.message;
        return `${path} (${sourceOf(iss.path, sources)}): ${what}`;
      }),
    };
  }
  const config = r.data;
  for (const k of config.auth.keys) if (k.secret.length < 32) warnings.push(`signing key "${k.kid}" is shorter than 32 characters; use a random 32-byte key (e.g. openssl rand -base64 32)`);
  config.nodeId ??= `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40)}-${process.pid}`;
  return { ok: true, config, sources, warnings };
}

/** For error messages and the startup log: secrets never printed. */
export function redact(config: Config): unknown {
  return JSON.parse(JSON.stringify(config, (k, v) => (k === 'secret' ? '***' : v)));
}
