/**
 * Hand-off scenes for end-to-end tests and the handoff bench: a call
 * environment whose signaling server has a directory, plus more web-hosted
 * workstations (each its own agent id, data dir and case database, as on
 * separate desktops) against the same signaling server (or another node).
 * No Playwright imports here, so bench/*.ts can use it too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignalingServer } from '../../../signaling-server/server';
import { createLogger } from '../../../src-main/log';
import { startWebWorkstation, type WebWorkstation } from '../../../src-main/web-host/workstation';
import { STATIC_DIR } from './call-env';

export const DIRECTORY = [
  { id: 'alice', name: 'Alice', skills: ['billing'], queues: ['billing'] },
  { id: 'bob', name: 'Bob', skills: ['billing', 'roaming'], queues: ['billing'] },
  { id: 'carol', name: 'Carol', skills: ['network'], queues: ['network'] },
];

export interface ExtraWorkstation { url: string; web: WebWorkstation; dataDir: string; close(): Promise<void> }

/** Another agent's desktop: a web-hosted workstation signed in as `agentId` against `signaling` (tokens minted by `minter`). */
export async function startWorkstation(signalingUrl: string, minter: SignalingServer, agentId: string, agentName: string): Promise<ExtraWorkstation> {
  const dataDir = mkdtempSync(join(tmpdir(), `va-e2e-${agentId}-`));
  const web = await startWebWorkstation({
    config: { dataDir, webHostPort: 0, signalingUrl, agentId, agentName },
    deps: { mintAgentToken: (id, o) => minter.mintAgentToken(id, o) },
    staticDir: STATIC_DIR,
    log: createLogger({ level: 'error', sink: () => {} }),
  });
  return {
    url: web.webHost.workstationUrl, web, dataDir,
    async close() { await web.close().catch(() => {}); rmSync(dataDir, { recursive: true, force: true }); },
  };
}

/**
 * In-page probes (strings: tsx helpers do not exist in the page).
 * FRAME_LOG: every frame the page's remote <video> presents, as epoch ms, in window.__frames.
 * SENT_LOG: the customer page samples framesSent of every peer connection every 20 ms; window.__sent
 * holds the epoch ms of each sample at which any of them had sent more frames than before.
 */
export const FRAME_LOG = `(() => {
  window.__frames = [];
  const arm = () => {
    const v = document.querySelector('[data-testid="remote-video"]');
    if (!v) { setTimeout(arm, 5); return; }
    const tick = () => { window.__frames.push(performance.timeOrigin + performance.now()); v.requestVideoFrameCallback(tick); };
    v.requestVideoFrameCallback(tick);
  };
  arm();
})()`;

export const SENT_LOG = `(() => {
  window.__sent = [];
  const last = new Map();
  const pcs = () => { const c = window.__customerCall; return [c.pc, ...(c.extraPcs || [])].filter(Boolean); };
  window.__sentTimer = setInterval(async () => {
    let more = 0;
    for (const pc of pcs()) {
      const st = await pc.getStats();
      st.forEach((r) => { if (r.type === 'outbound-rtp' && r.kind === 'video') { const k = r.id + pc.__id; const prev = last.get(pc) || 0; if (r.framesSent > prev) { more += r.framesSent - prev; last.set(pc, r.framesSent); } } });
    }
    if (more > 0) window.__sent.push(performance.timeOrigin + performance.now());
  }, 20);
})()`;

/** Longest gap between consecutive times within [from, to] (edges included as bounds). */
export function longestGap(times: number[], from: number, to: number): number {
  const ts = times.filter((t) => t >= from && t <= to).sort((a, b) => a - b);
  if (ts.length === 0) return to - from;
  let gap = ts[0]! - from;
  for (let i = 1; i < ts.length; i++) gap = Math.max(gap, ts[i]! - ts[i - 1]!);
  return Math.max(gap, to - ts[ts.length - 1]!);
}

/** Where the longest gap of `times` within [from, to] starts (ms after `from`), for diagnostics. */
export function gapAt(times: number[], from: number, to: number): { at: number, gap: number } {
  const ts = [from, ...times.filter((t) => t >= from && t <= to).sort((a, b) => a - b), to];
  let best = { at: 0, gap: 0 };
  for (let i = 1; i < ts.length; i++) if (ts[i]! - ts[i - 1]! > best.gap) best = { at: Math.round(ts[i - 1]! - from), gap: Math.round(ts[i]! - ts[i - 1]!) };
  return best;
}
