import { afterAll } from 'vitest';
import { openReportingStore } from '../../../signaling-server/reporting/sql-store';
import type { ReportingStore } from '../../../signaling-server/reporting/store';
import { createDatabase, startPostgres, type RunningPostgres } from '../../support/postgres';
import { reportingContract } from './kpis.contract';

let pg: RunningPostgres | undefined;
let store: ReportingStore | undefined;
afterAll(async () => { await store?.close(); await pg?.stop(); });

reportingContract('PostgreSQL', async () => {
  const started = await startPostgres();
  if (!started.ok) return { skip: started.reason };
  pg = started.pg;
  store = await openReportingStore(await createDatabase(pg, 'reporting_kpis'));
  return store;
});
