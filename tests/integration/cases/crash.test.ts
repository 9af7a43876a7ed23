import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseService } from '../../../src-main/cases/service';
import { useTempDirs } from './tmp';
import { pngBytes } from './fixtures/evidence-bytes';

const tmp = useTempDirs();
const WRITER = join(import.meta.dirname, 'fixtures', 'burst-writer.ts');

interface Ack { seq: number; n: number; pid: number }

/** Run the writer until it has acknowledged `killAfter` events, then SIGKILL it. */
function burstThenKill(dataDir: string, killAfter: number): Promise<{ acks: Ack[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^ack (\d+) (\d+)$/.exec(line);
      if (!m) return;
      acks.push({ seq: Number(m[1]), n: Number(m[2]), pid: child.pid! });
      if (acks.length === killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
      else resolve({ acks, signal });
    });
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged event and an intact file after SIGKILL mid-burst (3 rounds)', async () => {
    const dataDir = tmp();
    const all: Ack[] = [];
    for (const killAfter of [150, 420, 77]) {
      const { acks, signal } = await burstThenKill(dataDir, killAfter);
      expect(signal).toBe('SIGKILL');
      expect(acks.length).toBeGreaterThanOrEqual(killAfter);
      all.push(...acks);
    }

    // Check the raw file first, as the next launch would find it.
    const raw = new Database(join(dataDir, 'cases.sqlite'));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    const have = new Map((raw.prepare(`SELECT seq, type, body FROM events WHERE type IN ('note', 'snapshot')`).all() as Array<{ seq: number; type: string; body: string }>).map((r) => [r.seq, r]));
    const missing = all.filter((a) => !have.has(a.seq));
    expect(missing).toEqual([]);
    for (const a of all) {
      const row = have.get(a.seq)!;
      if (a.n % 10 === 9) expect(row.type).toBe('snapshot');
      else expect(JSON.parse(row.body).text).toBe(`burst note ${a.pid} ${a.n} 請求`);
    }
    // The outbox row and search entry of each acknowledged event committed with it.
    const outboxed = new Set((raw.prepare('SELECT seq FROM outbox').all() as Array<{ seq: number }>).map((r) => r.seq));
    expect(all.filter((a) => !outboxed.has(a.seq))).toEqual([]);
    raw.close();

    // And the app opens it normally, evidence of acknowledged snapshots readable and verified.
    const s = new CaseService({ dataDir, agentId: 'after-crash' });
    await s.ready;
    const snaps = all.filter((a) => a.n % 10 === 9);
    expect(snaps.length).toBeGreaterThan(0);
    for (const a of snaps) {
      const body = JSON.parse(have.get(a.seq)!.body) as { sha256: string };
      expect((await s.getEvidence(body.sha256)).bytes.equals(pngBytes(`still ${a.pid} ${a.n}`))).toBe(true);
    }
    const notes = all.filter((a) => a.n % 10 !== 9).length;
    expect((await s.searchCases('burst')).length).toBe(20); // default page
    await s.close();
    const after = new Database(join(dataDir, 'cases.sqlite'), { readonly: true });
    expect((after.prepare(`SELECT count(*) AS n FROM event_search WHERE event_search MATCH '"請求"'`).get() as { n: number }).n).toBeGreaterThanOrEqual(notes);
    after.close();
  }, 120_000);
});
