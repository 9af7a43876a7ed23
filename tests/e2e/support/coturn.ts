/**
 * A real coturn on 127.0.0.1 for tests that must prove the TURN path or cut
 * the media path on purpose (stop() then start() again on the same ports).
 * Flags per shared TESTING.md (verified): loopback peers allowed, no TLS.
 *
 *   const turn = await startCoturn();
 *   test.use({ callEnvOptions: { signaling: { iceServers: turn.iceServers() } } })  // or pass to startCallEnv
 *   await turn.stop(); await turn.start();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { turnCredential } from '../../../signaling-server/turn';
import type { IceServer } from '../../../signaling-server/protocol';

export const TURNSERVER = '/usr/bin/turnserver';
export const hasCoturn = (): boolean => existsSync(TURNSERVER);

export interface Coturn {
  port: number;
  secret: string;
  iceServers(user?: string, ttlSec?: number): IceServer[];
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly running: boolean;
}

async function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => { s.close(); resolve(false); });
    s.bind(port, '127.0.0.1', () => { s.close(); resolve(true); });
  });
}

export async function startCoturn(): Promise<Coturn> {
  if (!hasCoturn()) throw new Error('coturn is not installed (apt-get install -y coturn)');
  const secret = randomBytes(24).toString('base64url');
  // A listening port and a private relay range, away from other tests' ranges.
  let port = 0;
  for (let i = 0; i < 50 && !port; i++) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if (await udpPortFree(p)) port = p;
  }
  if (!port) throw new Error('no free UDP port for coturn');
  const minPort = port + 1, maxPort = port + 60;
  let child: ChildProcess | null = null;

  const start = async () => {
    if (child) return;
    const c = spawn(TURNSERVER, [
      '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
      '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=visual-assist.test',
      '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers', '--no-multicast-peers',
      `--min-port=${minPort}`, `--max-port=${maxPort}`, '--log-file=stdout', '--simple-log',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let out = '';
    c.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    c.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    // Ready when the UDP listener is bound.
    const t0 = Date.now();
    while (Date.now() - t0 < 10_000) {
      if (c.exitCode !== null) throw new Error(`turnserver exited: ${out.slice(-800)}`);
      if (!(await udpPortFree(port))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`turnserver did not bind ${port}: ${out.slice(-800)}`);
  };

  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    port,
    secret,
    iceServers(user = 'e2e', ttlSec = 3600) {
      const c = turnCredential(secret, user, ttlSec);
      return [{ urls: `turn:127.0.0.1:${port}?transport=udp`, username: c.username, credential: c.credential }];
    },
    start,
    stop,
    get running() { return child !== null; },
  };
}

/** For a skip reason. */
export function coturnVersion(): string | null {
  if (!hasCoturn()) return null;
  const r = spawnSync(TURNSERVER, ['--version'], { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').trim().split('\n')[0] ?? null;
}
