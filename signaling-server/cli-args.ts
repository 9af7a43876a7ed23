/**
 * Argument parsing for `npm run signaling -- ...`, separate from cli.ts so it
 * can grow (--config FILE, --tls-cert, ... for issue 6) and be unit-tested.
 */
import { SETTINGS } from './config/load';

export type CliCommand =
  | { command: 'serve', port?: number, host?: string, publicUrl?: string }
  | { command: 'token', agent: string, ttlSec?: number, name?: string, kid?: string, config?: string, roles?: Array<'agent' | 'supervisor' | 'technician'> }
  | { command: 'help' };

export type CliParse = { ok: true, value: CliCommand } | { ok: false, error: string };

export const USAGE = `Usage:
  npm run signaling -- [--config FILE] [--port N] [--host H] [--public-url URL] [more flags]
      start one signaling node. Settings: defaults < --config FILE (JSON) < SIGNALING_* environment < flags.
      Flags: ${SETTINGS.filter((s) => s.flag).map((s) => `--${s.flag}`).join(' ')}
             --set path=value for any other setting (see docs/OPERATIONS.md)
      Signing keys from SIGNALING_AUTH_KEYS (kid:secret,...) or SIGNALING_SECRET, never from flags;
      telephony webhook from TELEPHONY_SECRET.
  npm run signaling -- token --agent ID [--ttl 8h] [--name NAME] [--roles agent,supervisor] [--kid KID] [--config FILE]
      print an agent token signed with the active key (or --kid) from the same sources
`;

/** "8h", "30m", "900s", "2d", or plain seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(s|m|h|d)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const mult = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  const v = n * mult;
  return v > 0 ? v : undefined;
}

export function parseCliArgs(argv: readonly string[]): CliParse {
  const args = [...argv];
  let command: 'serve' | 'token' = 'serve';
  if (args[0] === 'token') { command = 'token'; args.shift(); }
  else if (args[0] === 'serve') args.shift();
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help') return { ok: true, value: { command: 'help' } };

  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) return { ok: false, error: `unexpected argument: ${a}` };
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const val = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (val === undefined || val.startsWith('--')) return { ok: false, error: `--${key} needs a value` };
    flags.set(key, val);
  }
  const serveFlags = ['port', 'host', 'public-url', 'config', 'set', ...SETTINGS.flatMap((s) => (s.flag ? [s.flag] : []))];
  const allowed = command === 'serve' ? serveFlags : ['agent', 'ttl', 'name', 'kid', 'config', 'roles'];
  for (const k of flags.keys()) if (!allowed.includes(k)) return { ok: false, error: `unknown option --${k} for ${command}` };

  if (command === 'serve') {
    const out: CliCommand = { command: 'serve' };
    const port = flags.get('port');
    if (port !== undefined) {
      if (!/^\d+$/.test(port) || Number(port) > 65535) return { ok: false, error: `--port must be 0-65535, got ${port}` };
      out.port = Number(port);
    }
    const host = flags.get('host');
    if (host !== undefined) out.host = host;
    const pub = flags.get('public-url');
    if (pub !== undefined) {
      try {
        const u = new URL(pub);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      } catch {
        return { ok: false, error: `--public-url must be an http(s) URL, got ${pub}` };
      }
      out.publicUrl = pub.replace(/\/+$/, '');
    }
    return { ok: true, value: out };
  }
  const agent = flags.get('agent');
  if (!agent) return { ok: false, error: 'token needs --agent ID' };
  if (!/^[A-Za-z0-9_\-.:]{1,128}$/.test(agent)) return { ok: false, error: '--agent must be 1-128 chars of [A-Za-z0-9_-.:]' };
  const out: CliCommand = { command: 'token', agent };
  const ttl = flags.get('ttl');
  if (ttl !== undefined) {
    const s = parseDuration(ttl);
    if (s === undefined) return { ok: false, error: `--ttl must look like 8h, 30m, 900s or 2d, got ${ttl}` };
    out.ttlSec = s;
  }
  const name = flags.get('name');
  if (name !== undefined) out.name = name;
  const kid = flags.get('kid');
  if (kid !== undefined) out.kid = kid;
  const config = flags.get('config');
  if (config !== undefined) out.config = config;
  const roles = flags.get('roles');
  if (roles !== undefined) {
    const list = roles.split(',').map((r) => r.trim()).filter(Boolean);
    if (!list.length || list.some((r) => !['agent', 'supervisor', 'technician'].includes(r))) return { ok: false, error: '--roles is a comma list of agent, supervisor, technician' };
    out.roles = [...new Set(list)] as NonNullable<typeof out.roles>;
  }
  return { ok: true, value: out };
}
