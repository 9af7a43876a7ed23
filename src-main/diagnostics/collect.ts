/**
 * "Collect diagnostics": one .tar.gz an agent can send to IT, with
 *   versions.json          app, Electron/Chromium/Node, OS
 *   effective-policy.json  every setting's value and source, and policy issues
 *   logs.txt               recent log lines, fields allow-listed and scrubbed (redact.ts)
 *   devices.json           camera/microphone/speaker names (no ids)
 *   calls.json             the current call's connection figures and the last sessions' durations,
 *                          times to first frame and end reasons (numbers and the app's own codes)
 *   database.json          PRAGMA integrity_check of the case cache, through the data layer
 * Secrets and customer data stay out: policy values that could hold
 * credentials are not settings (tokens come from the environment, never
 * policy), logs are scrubbed, and nothing is read from the case contents.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import type { z } from 'zod';
import type { CallFiguresSample, DiagnosticsDevice } from '../../src-preload/contract/diagnostics';
import type { LogRecord } from '../log';
import type { EffectivePolicy } from '../policy/resolve';
import { redactFields, redactPolicyValue, scrub } from './redact';
import type { SessionFigures } from '../cases/data/types';

export interface DiagnosticsSources {
  appVersion: string;
  /** process.versions in Electron (electron, chrome, node, v8) or Node. */
  runtimeVersions: Record<string, string | undefined>;
  effective(): EffectivePolicy;
  logs(): LogRecord[];
  integrity(): Promise<{ ok: boolean; messages: string[] }>;
  /** The last visual sessions from the case cache (figures only). */
  recentSessions?(): Promise<SessionFigures[]>;
  outDir: string;
  now?: () => Date;
}

export interface DiagnosticsRequest { devices: z.infer<typeof DiagnosticsDevice>[]; calls: z.infer<typeof CallFiguresSample>[] }

export async function collectDiagnostics(src: DiagnosticsSources, req: DiagnosticsRequest): Promise<{ file: string; bytes: number; entries: string[] }> {
  const now = (src.now ?? (() => new Date()))();
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const stage = await mkdtemp(join(tmpdir(), 'va-diag-'));
  const dirName = `visual-assist-diagnostics-${stamp}`;
  const root = join(stage, dirName);
  await mkdir(root);
  try {
    const eff = src.effective();
    let integrity: unknown;
    try { integrity = await src.integrity(); } catch (err) { integrity = { ok: false, error: scrub((err as Error).message) }; }
    let recent: unknown[] = [];
    try {
      recent = (await src.recentSessions?.() ?? []).map((x) => ({ at: x.at, durationSec: x.durationSec, firstFrameMs: x.firstFrameMs, reason: x.reason === null ? null : scrub(String(x.reason)).slice(0, 60), noFrameCause: x.noFrameCause === null ? null : scrub(String(x.noFrameCause)).slice(0, 40) }));
    } catch (err) { recent = [{ error: scrub((err as Error).message) }]; }
    const logs = src.logs().map((r) => {
      const f = redactFields(r.fields);
      return `${r.time} ${r.level.toUpperCase().padEnd(5)} [${r.scope}] ${scrub(r.msg)}${f && Object.keys(f).length ? ' ' + JSON.stringify(f) : ''}`;
    });
    const files: Record<string, string> = {
      'versions.json': JSON.stringify({ app: src.appVersion, ...Object.fromEntries(Object.entries(src.runtimeVersions).filter(([k]) => ['electron', 'chrome', 'node', 'v8', 'uv', 'openssl'].includes(k))), os: { platform: platform(), release: release(), arch: arch() }, collectedAt: now.toISOString() }, null, 2),
      'effective-policy.json': JSON.stringify({
        settings: Object.fromEntries(Object.values(eff.settings).map((s) => [s.key, { value: redactPolicyValue(s.value), source: s.source, origin: s.origin, enforced: s.enforced }])),
        issues: eff.issues.map((i) => ({ ...i, message: scrub(i.message) })),
      }, null, 2),
      'logs.txt': logs.join('\n') + '\n',
      'devices.json': JSON.stringify(req.devices.map((d) => ({ kind: d.kind, label: scrub(d.label) })), null, 2),
      // The call on screen now (from the page) and the last sessions recorded in the case cache.
      'calls.json': JSON.stringify({ current: req.calls, recent }, null, 2),
      'database.json': JSON.stringify({ caseCache: integrity }, null, 2),
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), text);
    await mkdir(src.outDir, { recursive: true });
    const file = join(src.outDir, `${dirName}.tar.gz`);
    await tar.c({ gzip: true, file, cwd: stage, portable: true }, [dirName]);
    return { file, bytes: (await stat(file)).size, entries: Object.keys(files).map((n) => `${dirName}/${n}`) };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
