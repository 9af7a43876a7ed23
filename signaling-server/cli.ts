/** `npm run signaling -- ...`: start one node, or mint an agent token. */
import { randomBytes } from 'node:crypto';
import { mintAgentToken } from './auth';
import { parseCliArgs, USAGE } from './cli-args';
import { DEFAULT_LIMITS } from './limits';
import { startSignalingServer } from './server';
import { stdoutLog } from './config';

async function main(): Promise<number> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`signaling: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const cmd = parsed.value;
  if (cmd.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const envSecret = process.env.SIGNALING_SECRET;
  if (cmd.command === 'token') {
    if (!envSecret || envSecret.length < 16) {
      process.stderr.write('signaling: set SIGNALING_SECRET (>= 16 chars) to the server\'s secret to mint a token\n');
      return 2;
    }
    if (cmd.ttlSec !== undefined && cmd.ttlSec > DEFAULT_LIMITS.maxAgentTokenTtlSec) {
      process.stderr.write(`signaling: --ttl is capped at ${DEFAULT_LIMITS.maxAgentTokenTtlSec / 86400} days\n`);
      return 2;
    }
    process.stdout.write(`${mintAgentToken(envSecret, cmd.agent, { ttlSec: cmd.ttlSec ?? DEFAULT_LIMITS.defaultAgentTokenTtlSec, ...(cmd.name !== undefined ? { name: cmd.name } : {}) })}\n`);
    return 0;
  }
  if (cmd.publicUrl === undefined && cmd.host !== undefined && ['0.0.0.0', '::', '[::]'].includes(cmd.host)) {
    process.stderr.write(`signaling: listening on ${cmd.host} without --public-url: invite links will say ${cmd.host}, which customers cannot open\n`);
  }
  let secret = envSecret;
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    process.stderr.write('signaling: SIGNALING_SECRET is not set; using a random secret for this run (tokens will not survive a restart)\n');
  }
  // hold log lines until the `Signaling:` line is out, so it is always first
  let ready = false;
  const pending: Record<string, unknown>[] = [];
  const server = await startSignalingServer({
    secret,
    log: (rec) => { if (ready) stdoutLog(rec); else pending.push(rec); },
    ...(cmd.port !== undefined ? { port: cmd.port } : {}),
    ...(cmd.host !== undefined ? { host: cmd.host } : {}),
    ...(cmd.publicUrl !== undefined ? { publicUrl: cmd.publicUrl } : {}),
    ...(process.env.TELEPHONY_SECRET ? { telephonySecret: process.env.TELEPHONY_SECRET } : {}),
  });
  process.stdout.write(`Signaling: ${server.url}\n`);
  ready = true;
  for (const rec of pending.splice(0)) stdoutLog(rec);
  const stop = () => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

main().then((code) => { if (code >= 0) process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`signaling: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
