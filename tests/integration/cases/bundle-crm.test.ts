/** Events that arrive in a case bundle were sent to the CRM by the exporting installation: the importer does not queue them again as new. */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseService } from '../../../src-main/cases/service';
import { pngBytes } from './fixtures/evidence-bytes';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
const open: CaseService[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });
const crm = { url: 'http://127.0.0.1:9/crm', baseDelayMs: 60_000 };

describe('bundle import and the CRM outbox', () => {
  it('does not re-send imported events to the CRM as new', async () => {
    const src = new CaseService({ dataDir: tmp(), agentId: 'agent-src' });
    open.push(src);
    const cu = await src.createCustomer({ name: 'Ada', phones: ['+14155550199'] });
    const c = await src.createCase({ customerId: cu.id, subject: 'bill' });
    await src.addNote(c.id, 'note');
    const still = await src.putEvidence(c.id, 'image/png', pngBytes());
    await src.appendEvent(c.id, { type: 'snapshot', sha256: still.sha256, mime: 'image/png', width: 2, height: 2 });
    const out = await src.exportBundle(c.id);

    const dst = new CaseService({ dataDir: tmp(), agentId: 'agent-dst', crm });
    open.push(dst);
    await dst.ready;
    cpSync(join(src.opts.dataDir, 'bundles', out.bundleName), join(dst.opts.dataDir, 'bundles', out.bundleName), { recursive: true });
    const r = await dst.importBundle(out.bundleName);
    expect(r.events).toBe(3);
    expect((await dst.outboxStatus()).pending).toBe(0);
    // what the importer writes afterwards is its own, and is sent
    await dst.addNote(r.caseId, 'follow-up');
    expect((await dst.outboxStatus()).pending).toBe(1);
  });
});
