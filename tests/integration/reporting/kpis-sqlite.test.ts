import { afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReportingStore } from '../../../signaling-server/reporting/sql-store';
import type { ReportingStore } from '../../../signaling-server/reporting/store';
import { reportingContract } from './kpis.contract';

const dir = mkdtempSync(join(tmpdir(), 'va-rep-'));
let store: ReportingStore | undefined;
afterAll(async () => { await store?.close(); rmSync(dir, { recursive: true, force: true }); });

reportingContract('SQLite', async () => (store = await openReportingStore(join(dir, 'reporting.sqlite'))));
