/**
 * A case cache that cannot be opened is tried again on the next call, not
 * remembered as broken until the app restarts; only "written by a newer
 * version" stays the answer.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { createServices, type Services } from '../../../src-main/services';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
let services: Services | null = null;
afterEach(async () => { await services?.close(); services = null; });
const ctx = { host: 'web' as const };

function router(dataDir: string) {
  const log = createLogger({ scope: 'test', level: 'error' });
  services = createServices(loadConfig({ dataDir, agentId: 'agent-o', locale: 'en' }, {}), { log });
  return createRouter(createHandlers(services), { log });
}

describe('opening the case cache', () => {
  it('retries after a failure that has gone away (the folder was not there to write)', async () => {
    const dataDir = tmp();
    writeFileSync(join(dataDir, 'cases'), 'a file where the cache folder should be');
    const r = router(dataDir);
    const first = await r.dispatch('cases:screenPop', { ani: '+14155552671' }, ctx);
    expect(first.ok).toBe(false);
    rmSync(join(dataDir, 'cases'));
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      ok = (await r.dispatch('cases:screenPop', { ani: '+14155552671' }, ctx)).ok;
      if (!ok) await new Promise((res) => setTimeout(res, 100));
    }
    expect(ok).toBe(true);
  });

  it('keeps refusing a cache written by a newer version', async () => {
    const dataDir = tmp();
    mkdirSync(join(dataDir, 'cases'));
    const db = new Database(join(dataDir, 'cases', 'cases.sqlite'));
    db.pragma('user_version = 999');
    db.close();
    const r = router(dataDir);
    expect(await r.dispatch('cases:screenPop', { ani: '+14155552671' }, ctx)).toMatchObject({ ok: false, error: { code: 'schema_too_new' } });
    expect(await r.dispatch('cases:screenPop', { ani: '+14155552671' }, ctx)).toMatchObject({ ok: false, error: { code: 'schema_too_new' } });
  });
});
