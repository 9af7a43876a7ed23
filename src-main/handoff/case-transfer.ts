/**
 * The case that travels with a hand-off, on the workstation side: export
 * the case as a bundle (checked, content-addressed: bundle.ts), carry its
 * files to the signaling server's hand-off store under the agent's token,
 * and on the receiving desktop fetch them, write the bundle folder and
 * import it (verified file by file against the manifest before anything is
 * written). Plain Node: fetch, fs; no Electron.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { CaseService } from '../cases/service';
import { sha256Hex } from '../cases/evidence';
import { ApiFailure } from '../router';

const Wire = z.object({
  format: z.literal('visual-assist-handoff-case'),
  files: z.array(z.object({ path: z.string().regex(/^(manifest\.json|signature\.json|case\.json|evidence\/[0-9a-f]{64})$/), base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/) }).strict()).min(2).max(100_000),
}).strict();

export interface CaseTransferDeps {
  cases: () => CaseService;
  dataDir: string;
  signalingUrl: string;
  /** a fresh agent token for this workstation's agent */
  token: () => Promise<string>;
  fetch?: typeof fetch;
}

export function createCaseTransfer(d: CaseTransferDeps) {
  const f = d.fetch ?? fetch;
  const url = (id: string) => `${d.signalingUrl.replace(/\/+$/, '')}/handoff/${encodeURIComponent(id)}/case`;
  // the case service keeps its bundles under its own folder (cases/factory.ts: <dataDir>/cases)
  const bundlesDir = join(d.dataDir, 'cases', 'bundles');

  async function call(id: string, init: RequestInit): Promise<Response> {
    let r: Response;
    try {
      r = await f(url(id), { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${await d.token()}` } });
    } catch (err) {
      throw new ApiFailure('unavailable', `the signaling server cannot be reached: ${(err as Error).message}`);
    }
    if (r.ok) return r;
    let msg = `${r.status}`;
    try { msg = ((await r.json()) as { message?: string }).message ?? msg; } catch { /* not JSON */ }
    throw new ApiFailure(r.status === 404 ? 'not_found' : r.status === 403 || r.status === 401 ? 'forbidden' : r.status === 413 ? 'invalid_argument' : 'unavailable', msg);
  }

  return {
    async share(handoffId: string, caseId: number): Promise<{ bytes: number; files: number }> {
      const { bundleName } = await d.cases().exportBundle(caseId);
      const dir = join(bundlesDir, bundleName);
      try {
        const files = listFiles(dir).map((p) => ({ path: p, base64: readFileSync(join(dir, ...p.split('/'))).toString('base64') }));
        const body = JSON.stringify({ format: 'visual-assist-handoff-case', files });
        await call(handoffId, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
        return { bytes: body.length, files: files.length };
      } finally {
        rmSync(dir, { recursive: true, force: true }); // the export was only the vehicle
      }
    },

    async receive(handoffId: string): Promise<{ caseId: number; events: number }> {
      const r = await call(handoffId, { method: 'GET' });
      let wire: z.infer<typeof Wire>;
      try {
        const parsed = Wire.safeParse(await r.json());
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid');
        wire = parsed.data;
      } catch (err) {
        throw new ApiFailure('bundle_tampered', `the case sent with the hand-off is not a valid bundle: ${(err as Error).message}`);
      }
      const name = `handoff-${handoffId.replace(/[^A-Za-z0-9._-]/g, '_')}-${Date.now()}`;
      const dir = join(bundlesDir, name);
      mkdirSync(join(dir, 'evidence'), { recursive: true });
      try {
        for (const file of wire.files) writeFileSync(join(dir, ...file.path.split('/')), Buffer.from(file.base64, 'base64'));
        // importBundle verifies every file against the manifest before anything is written. The bundle came
        // from a signed-in agent through the node's authenticated hand-off route, so its manifest is the
        // fingerprint vouched for: its credits and transfers import (and are audited again here).
        const manifest = wire.files.find((f) => f.path === 'manifest.json');
        const fingerprint = manifest ? sha256Hex(Buffer.from(manifest.base64, 'base64')) : undefined;
        return await d.cases().importBundle(name, fingerprint);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    for (const e of readdirSync(p)) {
      const full = join(p, e);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}
