/**
 * `npm run signaling -- ...`: start one node, or mint an agent token.
 * Configuration: defaults < --config FILE < SIGNALING_* environment < flags
 * (config/load.ts); errors name the field and where it came from.
 */
import { randomBytes } from 'node:crypto';
import { mintAgentToken } from './auth';
import { parseCliArgs, USAGE } from './cli-args';
import { loadConfig, type Config } from './config/index';
import { DEFAULT_SERVER_LIMITS } from './limits/index';
import { createLogger, type LogLevel } from './log';
import { RedisCounterStore, RedisStore } from './redis/index';
import { RedisStillUploads } from './stills/redis-uploads';
import { startSignalingServer } from './server';
import { openReportingStore } from './reporting/sql-store';

/** The key that signs: the configured active kid, else the newest key that is not retired. */
export function signingKeys(config: Config): { kid: string, secret: string, ring: Record<string, string> } | undefined {
  const live = config.auth.keys.filter((k) => !k.retired);
  const active = config.auth.activeKid ? live.find((k) => k.kid === config.auth.activeKid) : live[live.length - 1];
  if (!active) return undefined;
  return { kid: active.kid, secret: active.secret, ring: Object.fromEntries(live.map((k) => [k.kid, k.secret])) };
}

function fail(lines: string[]): number {
  process.stderr.write(`signaling: configuration error\n${lines.map((l) => `  - ${l}\n`).join('')}`);
  return 2;
}

/** Sign-in for a standalone node, from the environment (the IdP's settings are not secrets but belong with the deployment). */
export function idpFromEnv(env: NodeJS.ProcessEnv): import('./config/index').SignalingOptions['idp'] {
  const rolesClaim = env.SIGNALING_IDP_ROLES_CLAIM;
  const audience = env.SIGNALING_IDP_AUDIENCE;
  const common = { ...(rolesClaim ? { rolesClaim } : {}), ...(audience ? { audience } : {}) };
  if (env.SIGNALING_IDP_USERS) return { embedded: { users: env.SIGNALING_IDP_USERS }, ...common };
  if (env.SIGNALING_IDP_ISSUER) return { issuer: env.SIGNALING_IDP_ISSUER, ...(env.SIGNALING_IDP_JWKS_URI ? { jwksUri: env.SIGNALING_IDP_JWKS_URI } : {}), ...common };
  return undefined;
}

/** The grant-signing key (the same file on every node) and keys also published during a rotation (comma-separated files). */
export function approvalsFromEnv(env: NodeJS.ProcessEnv): import('./config/index').SignalingOptions['approvals'] {
  const publish = (env.SIGNALING_APPROVALS_PUBLISH_KEY_FILES ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  if (!env.SIGNALING_APPROVALS_KEY_FILE && publish.length === 0) return undefined;
  return { ...(env.SIGNALING_APPROVALS_KEY_FILE ? { signingKeyFile: env.SIGNALING_APPROVALS_KEY_FILE } : {}), ...(publish.length ? { publishKeyFiles: publish } : {}) };
}

/** `hash-password`: read a password from stdin (never from argv, which `ps` shows) and print its scrypt hash for a users file. */
async function hashPasswordCommand(): Promise<number> {
  const { hashPassword } = await import('./idp/users');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const pw = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (pw.length < 8) { process.stderr.write('signaling: hash-password: give a password of at least 8 characters on stdin\n'); return 2; }
  process.stdout.write(`${await hashPassword(pw)}\n`);
  return 0;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'hash-password') return hashPasswordCommand();
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`signaling: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const cmd = parsed.value;
  if (cmd.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  if (cmd.command === 'token') {
    const loaded = loadConfig({ argv: cmd.config ? ['--config', cmd.config] : [], env: process.env });
    if (!loaded.ok) return fail(loaded.errors);
    const keys = signingKeys(loaded.config);
    if (!keys) {
      process.stderr.write('signaling: no signing key: set SIGNALING_SECRET (>= 16 chars), SIGNALING_AUTH_KEYS (kid:secret,...) or auth.keys in --config FILE, as the server has them\n');
      return 2;
    }
    const kid = cmd.kid ?? keys.kid;
    const secret = keys.ring[kid];
    if (!secret) {
      process.stderr.write(`signaling: --kid ${kid}: no such key that is not retired\n`);
      return 2;
    }
    if (cmd.ttlSec !== undefined && cmd.ttlSec > DEFAULT_SERVER_LIMITS.maxAgentTokenTtlSec) {
      process.stderr.write(`signaling: --ttl is capped at ${DEFAULT_SERVER_LIMITS.maxAgentTokenTtlSec / 86400} days\n`);
      return 2;
    }
    const ttlSec = cmd.ttlSec ?? loaded.config.auth.defaultTokenTtlSec;
    process.stdout.write(`${mintAgentToken(secret, cmd.agent, { ttlSec, kid, ...(cmd.name !== undefined ? { name: cmd.name } : {}), ...(cmd.roles ? { roles: cmd.roles } : {}) })}\n`);
    return 0;
  }

  const rest = argv[0] === 'serve' ? argv.slice(1) : argv;
  const loaded = loadConfig({ argv: rest, env: process.env });
  if (!loaded.ok) return fail(loaded.errors);
  for (const w of loaded.warnings) process.stderr.write(`signaling: warning: ${w}\n`);
  const c = loaded.config;
  if (c.publicUrl === undefined && ['0.0.0.0', '::', '[::]'].includes(c.host)) {
    process.stderr.write(`signaling: listening on ${c.host} without --public-url: invite links will say ${c.host}, which customers cannot open\n`);
  }

  let keys = signingKeys(c);
  if (!keys) {
    const secret = randomBytes(32).toString('base64url');
    keys = { kid: 'k1', secret, ring: { k1: secret } };
    process.stderr.write('signaling: SIGNALING_SECRET is not set; using a random secret for this run (tokens will not survive a restart)\n');
  }

  const logger = createLogger({ level: c.log.level as LogLevel, bindings: { svc: 'signaling', node: c.nodeId } });
  // hold log lines until the `Signaling:` line is out, so it is always first
  let ready = false;
  const pending: Record<string, unknown>[] = [];
  const emit = (rec: Record<string, unknown>) => {
    const { ev, ...fields } = rec;
    const msg = String(ev ?? 'log');
    if (/error|failed/.test(msg)) logger.warn(msg, fields); else logger.info(msg, fields);
  };

  // several nodes must sign grants with one key (server.ts refuses too); said here before any connection is opened
  const approvals = approvalsFromEnv(process.env);
  if (c.redis && !approvals?.signingKeyFile) {
    return fail(['SIGNALING_APPROVALS_KEY_FILE: required with redis.url: every node signs credit approvals with one shared Ed25519 key (PKCS#8 PEM, the same file on every node; see docs/ADMIN.md)']);
  }
  const store = c.redis ? new RedisStore({ url: c.redis.url, prefix: c.redis.prefix, nodeId: c.nodeId!, nodeTtlMs: c.redis.nodeTtlSec * 1000 }) : undefined;
  // a refused start (a bad key file, an unreachable IdP) must not leave the Redis connection holding the process open
  const server = await startSignalingServer({
    host: c.host,
    port: c.port,
    ...(c.publicUrl !== undefined ? { publicUrl: c.publicUrl } : {}),
    secret: keys.secret,
    secretKid: keys.kid,
    keyRing: keys.ring,
    inviteTtlSec: c.invites.ttlSec,
    ...(c.limits.heartbeatIntervalSec > 0 ? { heartbeatMs: c.limits.heartbeatIntervalSec * 1000 } : {}),
    ...(process.env.TELEPHONY_SECRET ? { telephonySecret: process.env.TELEPHONY_SECRET } : {}),
    ice: { stunUrls: c.ice.stunUrls, turn: c.ice.turn },
    iceServers: c.ice.extra,
    limits: { maxFrameBytes: c.limits.maxFrameBytes, maxMembersPerRoom: c.limits.maxMembersPerRoom },
    abuse: c.limits,
    codes: c.invites.codes,
    ...(c.tls ? { tls: c.tls } : {}),
    trustedProxies: c.trustedProxies,
    drainGraceMs: c.drain.graceSec * 1000,
    nodeId: c.nodeId!,
    ...(store && c.redis ? { store, redis: c.redis, abuseCounters: new RedisCounterStore(store.redis, c.redis.prefix), uploads: new RedisStillUploads(store.redis, c.redis.prefix) } : {}),
    ...(c.reporting.db !== 'off' ? { reporting: { store: await openReportingStore(c.reporting.db), settings: { fcrWindowDays: c.reporting.fcrWindowDays, dispatchWindowDays: c.reporting.dispatchWindowDays, csatMinN: c.reporting.csatMinN } } } : {}),
    log: (rec) => { if (ready) emit(rec); else pending.push(rec); },
    logLevel: logger.level,
    ...(idpFromEnv(process.env) ? { idp: idpFromEnv(process.env) } : {}),
    ...(approvals ? { approvals } : {}),
    // hand-offs: who has which skills and queues (handoff/directory.ts); a bad file stops the start with its first problem
    ...(process.env.SIGNALING_DIRECTORY ? { directory: process.env.SIGNALING_DIRECTORY } : {}),
  }).catch(async (err: unknown) => { await store?.close(); throw err; });
  process.stdout.write(`Signaling: ${server.url}\n`);
  ready = true;
  for (const rec of pending.splice(0)) emit(rec);

  // SIGTERM (orchestrators, systemd): drain — clients are told to move, then closed after the grace period.
  process.once('SIGTERM', () => {
    server.drain().then(() => process.exit(0), () => process.exit(1));
  });
  process.once('SIGINT', () => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  });
  return -1;
}

main().then((code) => { if (code >= 0) process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`signaling: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
