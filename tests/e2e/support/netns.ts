/**
 * A real impaired network for one browser: a network namespace of the test's own, joined
 * to the host by a veth pair with private addresses, its link shaped by `tc tbf` (rate)
 * and an nftables `numgen random` rule (loss) — these kernels have no netem. Needs root.
 * Names are unique per run (pid + random); `remove()` deletes the namespace, which takes
 * the veth pair, its qdiscs and the nftables table with it.
 *
 *   const net = await makeImpairedNet();          // or { skip: reason }
 *   const browser = await chromium.launch({ executablePath: net.chromiumWrapper, ... });
 *   net.shape({ kbit: 300, lossPct: 5 }); net.shape(null); net.remove();
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath } from './chromium';

export interface ImpairedNet {
  ns: string;
  /** The host's end (servers the namespace reaches listen here) and the namespace's end. */
  hostAddr: string;
  nsAddr: string;
  /** An executable that runs Debian Chromium inside the namespace (for Playwright's executablePath). */
  chromiumWrapper: string;
  /** Shape both directions of the link (null: lift every limit). */
  shape(s: { kbit: number; lossPct?: number } | null): void;
  /** Drop every UDP datagram in and out of the namespace (a network that lets only TCP through: no WebRTC path without TURN over TCP). */
  blockUdp(): void;
  remove(): void;
  /** `tc -s qdisc` of both ends (bytes sent, drops, backlog) for diagnostics. */
  stats(): string;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const inNs = (ns: string, cmd: string, args: string[]) => run('ip', ['netns', 'exec', ns, cmd, ...args]);

/** Why this machine cannot run the test, or null. */
export function impairmentUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'network impairment needs root (ip netns, tc, nft); CI runs as root';
  for (const [bin, args] of [['ip', ['-V']], ['tc', ['-V']], ['nft', ['--version']]] as const) {
    const r = spawnSync(bin, [...args], { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${bin} is not available (apt-get install -y iproute2 nftables)`;
  }
  return null;
}

/** Namespaces left by runs that were killed before their cleanup (named va16-<pid>-<tag>; the pid is gone). */
function sweepStale(): void {
  const list = spawnSync('ip', ['netns', 'list']).stdout?.toString() ?? '';
  for (const m of list.matchAll(/^va16-(\d+)-([0-9a-z]+)/gm)) {
    const pid = Number(m[1]);
    let alive = true;
    try { process.kill(pid, 0); } catch { alive = false; }
    if (alive) continue;
    spawnSync('ip', ['netns', 'del', m[0]], { stdio: 'ignore' });
    spawnSync('ip', ['link', 'del', `vh${m[2]}`], { stdio: 'ignore' });
  }
}

export function makeImpairedNet(): ImpairedNet | { skip: string } {
  const why = impairmentUnavailable();
  if (why) return { skip: why };
  sweepStale();
  const tag = randomBytes(4).toString('hex').slice(0, 7);
  const ns = `va16-${process.pid}-${tag}`;
  const vh = `vh${tag}`;
  const vc = `vc${tag}`;
  // A /30 out of 10.216.0.0/16 picked from the tag, on a link that exists only for this run.
  const n = parseInt(randomBytes(2).toString('hex'), 16) & 0x3fff;
  const base = `10.216.${n >> 6}.${(n & 0x3f) << 2}`;
  const oct = base.split('.').map(Number);
  const hostAddr = `${oct[0]}.${oct[1]}.${oct[2]}.${oct[3]! + 1}`;
  const nsAddr = `${oct[0]}.${oct[1]}.${oct[2]}.${oct[3]! + 2}`;
  const dir = mkdtempSync(join(tmpdir(), 'va-netns-'));
  const removeAll = () => {
    spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    spawnSync('ip', ['link', 'del', vh], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  // Also on a hard exit of this process (a killed run leaves it to the next run's sweep).
  process.once('exit', removeAll);
  try {
    run('ip', ['netns', 'add', ns]);
    run('ip', ['link', 'add', vh, 'type', 'veth', 'peer', 'name', vc]);
    run('ip', ['link', 'set', vc, 'netns', ns]);
    run('ip', ['addr', 'add', `${hostAddr}/30`, 'dev', vh]);
    run('ip', ['link', 'set', vh, 'up']);
    inNs(ns, 'ip', ['addr', 'add', `${nsAddr}/30`, 'dev', vc]);
    inNs(ns, 'ip', ['link', 'set', vc, 'up']);
    inNs(ns, 'ip', ['link', 'set', 'lo', 'up']);
    inNs(ns, 'ip', ['route', 'add', 'default', 'via', hostAddr]);
  } catch (err) {
    removeAll();
    return { skip: `could not make a network namespace: ${(err as Error).message.split('\n')[0]}` };
  }
  const chromiumWrapper = join(dir, 'chromium-in-netns');
  writeFileSync(chromiumWrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${chromiumPath()} "$@"\n`);
  chmodSync(chromiumWrapper, 0o755);

  let shaped = false;
  const shape: ImpairedNet['shape'] = (s) => {
    if (shaped) {
      spawnSync('tc', ['qdisc', 'del', 'dev', vh, 'root'], { stdio: 'ignore' });
      spawnSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'del', 'dev', vc, 'root'], { stdio: 'ignore' });
      spawnSync('ip', ['netns', 'exec', ns, 'nft', 'delete', 'table', 'inet', 'va16'], { stdio: 'ignore' });
      shaped = false;
    }
    if (!s) return;
    const tbf = ['root', 'tbf', 'rate', `${s.kbit}kbit`, 'burst', '4kb', 'latency', '50ms'];
    // Uplink (the customer's video) inside the namespace, downlink on the host's end.
    inNs(ns, 'tc', ['qdisc', 'add', 'dev', vc, ...tbf]);
    run('tc', ['qdisc', 'add', 'dev', vh, ...tbf]);
    if (s.lossPct) {
      inNs(ns, 'nft', ['add', 'table', 'inet', 'va16']);
      inNs(ns, 'nft', ['add', 'chain', 'inet', 'va16', 'out', '{ type filter hook output priority 0 ; }']);
      inNs(ns, 'nft', ['add', 'rule', 'inet', 'va16', 'out', 'oifname', vc, 'numgen', 'random', 'mod', '100', '<', String(s.lossPct), 'drop']);
    }
    shaped = true;
  };
  const stats = () => {
    const up = spawnSync('ip', ['netns', 'exec', ns, 'tc', '-s', 'qdisc', 'show', 'dev', vc]).stdout?.toString() ?? '';
    const down = spawnSync('tc', ['-s', 'qdisc', 'show', 'dev', vh]).stdout?.toString() ?? '';
    return `uplink ${vc}:\n${up}downlink ${vh}:\n${down}`;
  };
  const blockUdp = () => {
    inNs(ns, 'nft', ['add', 'table', 'inet', 'va16udp']);
    inNs(ns, 'nft', ['add', 'chain', 'inet', 'va16udp', 'out', '{ type filter hook output priority 0 ; }']);
    inNs(ns, 'nft', ['add', 'chain', 'inet', 'va16udp', 'in', '{ type filter hook input priority 0 ; }']);
    inNs(ns, 'nft', ['add', 'rule', 'inet', 'va16udp', 'out', 'meta', 'l4proto', 'udp', 'drop']);
    inNs(ns, 'nft', ['add', 'rule', 'inet', 'va16udp', 'in', 'meta', 'l4proto', 'udp', 'drop']);
  };
  return { ns, hostAddr, nsAddr, chromiumWrapper, shape, blockUdp, remove: removeAll, stats };
}
