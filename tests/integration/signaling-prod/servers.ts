/**
 * Real servers for the production-signaling tests: redis-server and coturn
 * (turnserver) on 127.0.0.1, on free ports, started here and stopped after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/free-port';

export { freePort };

/** A port free for both TCP and UDP (coturn listens on both). */
export async function freeUdpTcpPort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const p = await freePort();
    const ok = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => { u.close(); resolve(false); });
      u.bind(p, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (ok) return p;
  }
  throw new Error('no free TCP+UDP port');
}

async function waitTcp(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => { c.end(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

export interface Running { port: number; url: string; proc: ChildProcess; stop(): Promise<void> }

function stopper(proc: ChildProcess, cleanup?: () => void): () => Promise<void> {
  return async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    cleanup?.();
  };
}

export async function startRedis(): Promise<Running> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (d) => { err += String(d); });
  const failed = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${err}`))));
  await Promise.race([waitTcp(port, 10_000), failed]);
  failed.catch(() => {});
  return { port, url: `redis://127.0.0.1:${port}`, proc, stop: stopper(proc, () => rmSync(dir, { recursive: true, force: true })) };
}

export interface Turn extends Running { secret: string; realm: string; urls: string[] }

export async function startCoturn(): Promise<Turn> {
  const port = await freeUdpTcpPort();
  const secret = 'turn-shared-secret-for-tests-0123';
  const realm = 'signaling.test';
  const minPort = 49152 + Math.floor(Math.random() * 10_000);
  const proc = spawn('turnserver', [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--use-auth-secret', `--static-auth-secret=${secret}`, `--realm=${realm}`,
    '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers', `--min-port=${minPort}`, `--max-port=${minPort + 200}`,
    '--no-stdout-log', '--log-file=stdout', '--simple-log', '--fingerprint',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d) => { out += String(d); });
  proc.stderr?.on('data', (d) => { out += String(d); });
  const failed = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`turnserver exited (${code}): ${out.slice(-2000)}`))));
  await Promise.race([waitTcp(port, 10_000), failed]);
  failed.catch(() => {});
  return {
    port, secret, realm, proc, url: `turn:127.0.0.1:${port}`,
    urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
    stop: stopper(proc),
  };
}
