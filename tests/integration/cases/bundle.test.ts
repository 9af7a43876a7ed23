import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseError } from '../../../src-main/cases/errors';
import { sha256Hex } from '../../../src-main/cases/evidence';
import { CaseService } from '../../../src-main/cases/service';
import { verifyBundle } from '../../../src-main/cases/bundle';
import { cpSync } from 'node:fs';
import { useRawDb } from './raw-db';
import { useTempDirs } from './tmp';
import { jpegBytes, pngBytes } from './fixtures/evidence-bytes';

const tmp = useTempDirs();
const raw = useRawDb();
const open: CaseService[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });
const service = (agentId = 'agent-1') => { const s = new CaseService({ dataDir: tmp(), agentId }); open.push(s); return s; };

/** A case with a note, a still + thumbnail, OCR of the still and a disposition. */
async function exportedCase() {
  const src = service('agent-src');
  const cu = await src.createCustomer({ name: '佐藤 花子', phones: ['+81 3-1234-5678'], account: { number: 'JP-77', plan: 'Mobile 20GB', expectedMonthlyMinor: 3980, currency: 'JPY' } });
  const c = await src.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: '請求額が高い' });
  await src.addNote(c.id, '先月の請求書に二重請求があるとのこと');
  const still = await src.putEvidence(c.id, 'image/png', pngBytes('full resolution still of the bill'));
  const thumb = await src.putEvidence(c.id, 'image/jpeg', jpegBytes('thumbnail'));
  await src.appendEvent(c.id, { type: 'snapshot', sha256: still.sha256, thumbSha256: thumb.sha256, mime: 'image/png', width: 3024, height: 4032 });
  await src.appendEvent(c.id, { type: 'ocr_result', snapshotSha256: still.sha256, lang: 'jpn', text: '請求金額 ¥7,960', confidence: 77, amounts: [{ label: '請求金額', amountMinor: 7960, currency: 'JPY' }] });
  await src.setDisposition(c.id, { outcome: 'resolved_remote', summary: '差額を返金' });
  const out = await src.exportBundle(c.id);
  return { src, c, still, thumb, out, dir: join(src.opts.dataDir, 'bundles', out.bundleName) };
}

/** Put a bundle where another workstation's import looks for it. */
function deliver(dir: string, to: CaseService, name: string) {
  cpSync(dir, join(to.opts.dataDir, 'bundles', name), { recursive: true });
}

const codeOf = async (fn: () => unknown) => { try { await fn(); } catch (e) { return (e as CaseError).code + ': ' + (e as Error).message; } return 'no error'; };

describe('evidence bundles', () => {
  it('round-trips a case to another workstation with every event and evidence file intact', async () => {
    const { src, c, still, out, dir } = await exportedCase();
    expect(out.files).toBe(4); // case.json, 2 evidence files, manifest.json
    expect(sha256Hex(readFileSync(join(dir, 'manifest.json')))).toBe(out.manifestSha256);

    const dst = service('agent-dst');
    deliver(dir, dst, out.bundleName);
    const r = await dst.importBundle(out.bundleName);
    const before = await src.getCase(c.id);
    const after = await dst.getCase(r.caseId);
    expect(r.events).toBe(before.events.length);
    expect(after.events.map((e) => [e.body, e.at, e.agentId])).toEqual(before.events.map((e) => [e.body, e.at, e.agentId]));
    expect(after.case).toMatchObject({ subject: '請求額が高い', status: 'resolved' });
    expect(after.customer.phones).toEqual(['+81312345678']);
    expect((await dst.getEvidence(still.sha256)).bytes.equals(pngBytes('full resolution still of the bill'))).toBe(true);
    // Imported text is searchable on the new workstation.
    expect((await dst.searchCases('二重請求')).map((h) => h.caseId)).toEqual([r.caseId]);
    // Imported once only.
    expect(await codeOf(() => dst.importBundle(out.bundleName))).toMatch(/^conflict/);
  });

  it('attaches the imported case to the existing customer with the same number', async () => {
    const { dir, out } = await exportedCase();
    const dst = service();
    const existing = await dst.createCustomer({ name: 'Sato Hanako', phones: ['+81312345678'] });
    deliver(dir, dst, out.bundleName);
    const r = await dst.importBundle(out.bundleName);
    expect((await dst.getCase(r.caseId)).customer.id).toBe(existing.id);
  });

  const tampers: Array<[string, (dir: string, still: string) => void, RegExp]> = [
    ['a changed word in case.json', (d) => writeFileSync(join(d, 'case.json'), readFileSync(join(d, 'case.json'), 'utf8').replace('差額を返金', '全額を返金')), /case\.json does not match/],
    ['a changed byte in an evidence file', (d, s) => appendFileSync(join(d, 'evidence', s), 'x'), /evidence\/[0-9a-f]+ does not match/],
    ['a missing evidence file', (d, s) => rmSync(join(d, 'evidence', s)), /is missing/],
    ['an extra file', (d) => writeFileSync(join(d, 'evidence', 'notes.txt'), 'hi'), /not in the manifest/],
    ['a missing manifest', (d) => rmSync(join(d, 'manifest.json')), /manifest\.json is missing/],
    ['a broken manifest', (d) => writeFileSync(join(d, 'manifest.json'), '{'), /not valid JSON/],
  ];
  for (const [what, tamper, message] of tampers) {
    it(`refuses a bundle with ${what}, importing nothing`, async () => {
      const { dir, out, still } = await exportedCase();
      const dst = service();
      deliver(dir, dst, out.bundleName);
      tamper(join(dst.opts.dataDir, 'bundles', out.bundleName), still.sha256);
      const res = await codeOf(() => dst.importBundle(out.bundleName));
      expect(res).toMatch(/^bundle_tampered/);
      expect(res).toMatch(message);
      await dst.ready;
      expect(raw(dst.dbFile).prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
    });
  }

  it('changes the fingerprint when someone rewrites case.json and its manifest entry together', async () => {
    const { dir, out } = await exportedCase();
    const text = readFileSync(join(dir, 'case.json'), 'utf8').replace('差額を返金', '全額を返金');
    writeFileSync(join(dir, 'case.json'), text);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.files[0] = { path: 'case.json', sha256: sha256Hex(text), bytes: Buffer.byteLength(text) };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
    // Internally consistent again, but no longer the bundle whose fingerprint was recorded.
    expect(verifyBundle(dir).manifestSha256).not.toBe(out.manifestSha256);
  });
});
