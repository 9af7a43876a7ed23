/**
 * Case cache at contact-centre scale: 1,000,000 customers, 2,000,000 cases,
 * 10,000,000 events. Measures what an agent waits for — ANI lookup, the
 * whole screen pop, a case's history, full-text search (English and
 * Japanese) — and the event append rate, each beside a raw better-sqlite3
 * query of the same shape on a connection of the bench's own (in this
 * thread, while the service's SQL runs in its worker threads), as a ratio.
 *
 *   npm run bench -- cases            (full size; the generated file is cached)
 *   npm run bench -- cases --small    (10k customers / 100k events, for a quick look)
 *   npm run bench -- cases --compare=DIR
 *
 * --compare=DIR: another checkout of this repository (with its node_modules),
 * e.g. a `git worktree` of the commit before a change. Its case service opens
 * the same database file next to ours, every measurement alternates between
 * the two (who goes first alternating too), and a second table gives both.
 * This machine's speed drifts by 20 % from minute to minute, so runs one
 * after the other cannot show a 5 % change; interleaved calls can. Both
 * services' methods are awaited (the previous build's were synchronous).
 *
 * The generated database is cached under bench/.cache/, keyed by schema and
 * generator version and size, so reruns skip the generation. The append step
 * adds a few thousand events to the cached file on each run.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { openCaseDb } from '../src-main/cases/data/open';
import { SCHEMA_VERSION } from '../src-main/cases/migrations';
import { indexText, matchExpression } from '../src-main/cases/segment';
import { CaseService } from '../src-main/cases/service';
import { BENCH_DIR, percentiles, report, round } from './lib';
import { prng } from '../scripts/lib/prng';

const GENERATOR_VERSION = 1;
const small = process.argv.includes('--small');
const CUSTOMERS = small ? 10_000 : 1_000_000;
const CASES_PER_CUSTOMER = 2;
const EVENTS_PER_CASE = 5;
const CASES = CUSTOMERS * CASES_PER_CUSTOMER;
const EVENTS = CASES * EVENTS_PER_CASE;
const BATCH = 100_000;
const AREA = [212, 415, 312, 617, 206, 303, 404, 512, 702, 808];

/** Customer i's number in E.164 (valid NANP numbers, 10 area codes). */
const e164Of = (i: number) => `+1${AREA[i % AREA.length]}${2_000_000 + Math.floor(i / AREA.length)}`;
/** The same number as a PBX might send it. */
const pbxFormat = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;


const EN = ['router', 'modem', 'bill', 'charged', 'twice', 'refund', 'late', 'fee', 'roaming', 'data', 'outage', 'fibre', 'signal', 'weak', 'upgrade', 'plan', 'discount', 'contract', 'cancel', 'payment', 'card', 'declined', 'installation', 'technician', 'appointment', 'password', 'reset', 'wifi', 'slow', 'speed', 'invoice', 'overcharge', 'credit', 'promo', 'expired', 'device', 'screen', 'cracked', 'warranty', 'sim'];
const JA = ['請求書', '二重請求', '料金', '返金', '解約', '契約', '通信障害', 'ルーター', '速度', '遅い', '支払い', 'クレジットカード', '機種変更', '割引', '延滞', '手数料', '工事', '訪問', '修理', '保証'];
const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
const sentence = (r: () => number) => {
  const ja = r() < 0.3;
  const n = 6 + Math.floor(r() * 8);
  return ja
    ? Array.from({ length: n }, () => pick(r, JA)).join('の') + '。'
    : Array.from({ length: n }, () => pick(r, EN)).join(' ') + '.';
};

function generate(dir: string): void {
  const t0 = performance.now();
  const tmpDir = `${dir}.partial`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  const file = join(tmpDir, 'cases.sqlite');
  openCaseDb(file, { durability: 'normal' }).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  // Secondary indexes are built once at the end (far faster than maintaining them row by row).
  const indexes = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('events', 'cases', 'accounts', 'customer_phones')`).all() as Array<{ sql: string }>;
  for (const { sql } of indexes) db.exec(`DROP INDEX ${/CREATE INDEX (\w+)/.exec(sql)![1]}`);

  const r = prng(42);
  const now = Date.UTC(2026, 0, 1);
  const insCustomer = db.prepare('INSERT INTO customers (id, name, created_at) VALUES (?, ?, ?)');
  const insPhone = db.prepare('INSERT INTO customer_phones (e164, customer_id) VALUES (?, ?)');
  const insAccount = db.prepare('INSERT INTO accounts (id, customer_id, number, plan, expected_monthly_minor, currency) VALUES (?, ?, ?, ?, ?, ?)');
  const insCase = db.prepare('INSERT INTO cases (id, customer_id, account_id, subject, status, assigned_agent, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insEvent = db.prepare('INSERT INTO events (seq, case_id, customer_id, type, at, agent_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insSearch = db.prepare('INSERT INTO event_search (rowid, body) VALUES (?, ?)');
  const batches = (total: number, fn: (i: number) => void, label: string) => {
    for (let start = 0; start < total; start += BATCH) {
      db.transaction(() => { for (let i = start; i < Math.min(total, start + BATCH); i++) fn(i); })();
      if ((start / BATCH) % 10 === 9) process.stdout.write(`  ${label}: ${Math.min(total, start + BATCH).toLocaleString()} / ${total.toLocaleString()} (${round((performance.now() - t0) / 1000, 1)} s)\n`);
    }
  };

  batches(CUSTOMERS, (i) => {
    const id = i + 1;
    insCustomer.run(id, `Customer ${id}`, now);
    insPhone.run(e164Of(i), id);
    const jp = i % 5 === 0;
    insAccount.run(id, id, `ACC-${id}`, jp ? 'Hikari 1G' : 'Fiber 500', jp ? 5_980 : 59_99, jp ? 'JPY' : 'USD');
  }, 'customers');
  batches(CASES, (i) => {
    const id = i + 1;
    const customer = Math.floor(i / CASES_PER_CUSTOMER) + 1;
    insCase.run(id, customer, customer, `${pick(r, EN)} ${pick(r, EN)} ${pick(r, JA)}`, i % 3 === 0 ? 'open' : 'resolved', 'agent-1', now, now);
  }, 'cases');
  // Events in rounds over all cases, so a case's events lie far apart in the file (like real
  // cases that stay open for days while others are worked): the worst case for a history load.
  let seq = 0;
  batches(EVENTS, (k) => {
    const round_ = Math.floor(k / CASES);
    const caseIdx = k % CASES;
    const caseId = caseIdx + 1;
    const customerId = Math.floor(caseIdx / CASES_PER_CUSTOMER) + 1;
    const at = now + k * 1000;
    seq++;
    let type: string;
    let body: string;
    let text: string | null = null;
    switch (round_) {
      case 0: text = `${pick(r, EN)} ${pick(r, EN)} ${pick(r, JA)}`; type = 'case_opened'; body = JSON.stringify({ type, subject: text }); break;
      case 1: type = 'session_started'; body = JSON.stringify({ type, sessionId: `s-${caseId}`, media: 'camera' }); break;
      case 2: type = 'snapshot'; body = JSON.stringify({ type, sha256: (caseId.toString(16).padStart(8, '0')).repeat(8), mime: 'image/jpeg', width: 1920, height: 1080 }); break;
      case 3: text = sentence(r); type = 'note'; body = JSON.stringify({ type, text }); break;
      default:
        if (caseIdx % 2 === 0) { text = `${sentence(r)}\n${pick(r, JA)} ¥${Math.floor(r() * 20000)}`; type = 'ocr_result'; body = JSON.stringify({ type, lang: 'jpn+eng', text, confidence: 80 }); }
        else { text = sentence(r); type = 'disposition'; body = JSON.stringify({ type, disposition: { outcome: 'resolved_remote', summary: text } }); }
    }
    insEvent.run(seq, caseId, customerId, type, at, 'agent-1', body);
    if (text) insSearch.run(seq, indexText(text));
  }, 'events');
  process.stdout.write(`  building indexes (${round((performance.now() - t0) / 1000, 1)} s)\n`);
  for (const { sql } of indexes) db.exec(sql);
  db.exec(`INSERT INTO event_search (event_search) VALUES ('optimize')`);
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmpDir, dir);
  process.stdout.write(`  generated in ${round((performance.now() - t0) / 1000, 1)} s\n`);
}

const COMPARE = process.argv.find((x) => x.startsWith('--compare='))?.slice('--compare='.length) ?? null;

/** What the bench calls on a case service: ours (async) or the previous build's (synchronous); both are awaited. */
interface BenchService {
  lookupByAni(ani: string): unknown;
  screenPop(ani: string): unknown;
  history(caseId: number, beforeSeq?: number, limit?: number): unknown;
  searchCases(query: string, limit?: number): unknown;
  createCase(input: { customerId: number; subject: string }): unknown;
  addNote(caseId: number, text: string): unknown;
  close(): Promise<void>;
}
type ServiceCtor = new (opts: { dataDir: string; agentId: string; durability?: 'full' | 'normal' }) => BenchService & { db?: Database.Database };

/** Run each side once per round, rotating who goes first, so load spikes and cold pages hit all sides alike. */
async function interleave<K extends string>(rounds: number, ops: Record<K, (i: number) => unknown>, into: Record<K, number[]>): Promise<void> {
  const names = Object.keys(ops) as K[];
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const t = performance.now();
      await ops[name](i);
      into[name].push(performance.now() - t);
    }
  }
}

const known = async (p: unknown) => { if ((await p as { kind: string }).kind !== 'known') throw new Error('bench: pop missed'); };
const found = async (p: unknown) => { if (!(await p as { customer: unknown }).customer) throw new Error('bench: lookup missed'); };

async function main(): Promise<void> {
  const cacheDir = (schema: number) => join(BENCH_DIR, '.cache', `cases-s${schema}-g${GENERATOR_VERSION}-${CUSTOMERS}c-${EVENTS}e`);
  const dir = cacheDir(SCHEMA_VERSION);
  const genStart = performance.now();
  let generatedNow = false;
  let migratedFrom: { schema: number; seconds: number } | null = null;
  // A cache written at an older schema is upgraded by the app's own migrations (and timed):
  // that is what a workstation with this much history goes through on update.
  for (let v = SCHEMA_VERSION - 1; v >= 1 && !existsSync(join(dir, 'cases.sqlite')); v--) {
    if (!existsSync(join(cacheDir(v), 'cases.sqlite'))) continue;
    console.log(`migrating cached schema ${v} -> ${SCHEMA_VERSION}: ${cacheDir(v)}`);
    const t = performance.now();
    openCaseDb(join(cacheDir(v), 'cases.sqlite'), { durability: 'normal' }).close();
    migratedFrom = { schema: v, seconds: round((performance.now() - t) / 1000, 1) };
    renameSync(cacheDir(v), dir);
    console.log(`  migrated in ${migratedFrom.seconds} s`);
  }
  if (!existsSync(join(dir, 'cases.sqlite'))) {
    console.log(`generating ${CUSTOMERS.toLocaleString()} customers, ${CASES.toLocaleString()} cases, ${EVENTS.toLocaleString()} events into ${dir}`);
    generate(dir);
    generatedNow = true;
  } else console.log(`using cached ${dir}`);
  const genSeconds = (performance.now() - genStart) / 1000;
  const file = join(dir, 'cases.sqlite');
  const dbBytes = statSync(file).size;

  const svc = new CaseService({ dataDir: dir, agentId: 'bench-agent', durability: 'full' });
  await svc.ready;
  // The previous build's service on the same file (its own connection, on this thread as it was then).
  const Theirs = COMPARE ? ((await import(join(resolve(COMPARE), 'src-main/cases/service.ts'))) as { CaseService: ServiceCtor }).CaseService : null;
  const theirs = Theirs ? new Theirs({ dataDir: dir, agentId: 'bench-agent', durability: 'full' }) : null;
  // The bench's own connection for the raw statements, tuned as the app's.
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -32768');
  db.pragma('mmap_size = 268435456');
  const r = prng(7);
  const N = small ? 2_000 : 20_000;
  const anis = Array.from({ length: N }, () => e164Of(Math.floor(r() * CUSTOMERS)));

  // Raw statements: the same SQL the service runs, rows returned as SQLite gives them.
  const raw = {
    phone: db.prepare('SELECT c.id, c.name, c.created_at FROM customer_phones p JOIN customers c ON c.id = p.customer_id WHERE p.e164 = ?'),
    phones: db.prepare('SELECT e164 FROM customer_phones WHERE customer_id = ? ORDER BY e164'),
    accounts: db.prepare('SELECT id, number, plan, expected_monthly_minor, currency FROM accounts WHERE customer_id = ? ORDER BY id'),
    open: db.prepare(`SELECT * FROM cases WHERE customer_id = ? AND status = 'open' ORDER BY updated_at DESC, id DESC LIMIT 20`),
    recent: db.prepare('SELECT * FROM cases WHERE customer_id = ? ORDER BY updated_at DESC, id DESC LIMIT 10'),
    timeline: db.prepare('SELECT seq, case_id, customer_id, type, at, agent_id, body FROM events WHERE customer_id = ? ORDER BY seq DESC LIMIT 50'),
    history: db.prepare('SELECT seq, case_id, customer_id, type, at, agent_id, body FROM events WHERE case_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
    search: db.prepare(`SELECT e.seq, e.case_id, e.customer_id, e.type, e.at, e.body, cu.name, c.subject
      FROM (SELECT rowid FROM event_search WHERE event_search MATCH ? ORDER BY rowid DESC LIMIT ?) s
      JOIN events e ON e.seq = s.rowid JOIN cases c ON c.id = e.case_id JOIN customers cu ON cu.id = e.customer_id ORDER BY e.seq DESC`),
    insEvent: db.prepare('INSERT INTO events (case_id, customer_id, type, at, agent_id, body) VALUES (?, ?, ?, ?, ?, ?)'),
    touch: db.prepare('UPDATE cases SET updated_at = max(updated_at, ?) WHERE id = ?'),
    insSearch: db.prepare('INSERT INTO event_search (rowid, body) VALUES (?, ?)'),
  };
  const rawLookup = (e164: string) => {
    const c = raw.phone.get(e164) as { id: number } | undefined;
    if (!c) throw new Error(`bench: ${e164} not found`);
    return [c, raw.phones.all(c.id), raw.accounts.all(c.id)];
  };
  const rawPop = (e164: string) => {
    const [c] = rawLookup(e164) as [{ id: number }];
    return [raw.open.all(c.id), raw.recent.all(c.id), raw.timeline.all(c.id)];
  };
  /** The same operation on every side present: ours, raw, and the previous build when comparing. */
  const sides = (ours: (i: number) => unknown, rawOp: (i: number) => unknown, theirsOp: ((s: BenchService, i: number) => unknown) | null) => ({
    ours, raw: rawOp, ...(theirs && theirsOp ? { theirs: (i: number) => theirsOp(theirs, i) } : {}),
  }) as Record<'ours' | 'raw' | 'theirs', (i: number) => unknown>;
  const samples = () => ({ ours: [] as number[], raw: [] as number[], theirs: [] as number[] });

  // Warm every path equally (page cache, statement cache).
  for (let i = 0; i < 500; i++) {
    await known(svc.screenPop(pbxFormat(anis[i]!)));
    rawPop(anis[i]!);
    if (theirs) await known(theirs.screenPop(pbxFormat(anis[i]!)));
  }
  const lookup = samples(), pop = samples(), hist = samples(), fts = samples();
  await interleave(N, sides((i) => found(svc.lookupByAni(pbxFormat(anis[i]!))), (i) => rawLookup(anis[i]!), (s, i) => found(s.lookupByAni(pbxFormat(anis[i]!)))), lookup);
  // Another random customer per round: whoever goes first pays for its cold pages, and that rotates.
  const popAni = (i: number) => anis[(i * 7919) % N]!;
  await interleave(N, sides((i) => known(svc.screenPop(pbxFormat(popAni(i)))), (i) => rawPop(popAni(i)), (s, i) => known(s.screenPop(pbxFormat(popAni(i))))), pop);

  // Case history: the 100 newest events of a random case.
  const caseIds = Array.from({ length: N }, () => 1 + Math.floor(r() * CASES));
  await interleave(N, sides((i) => svc.history(caseIds[i]!, undefined, 100), (i) => raw.history.all(caseIds[i]!, Number.MAX_SAFE_INTEGER, 100), (s, i) => s.history(caseIds[i]!, undefined, 100)), hist);

  // Full-text search: single words, two-word AND, Japanese bigram phrases; rare and common.
  const queries = ['router', 'refund twice', 'overcharge', 'warranty cracked', 'sim', '請求書', '二重請求', '通信障害', '返金 解約', 'invoice 請求書', 'appointment', 'nomatchword'];
  for (const q of queries) { await svc.searchCases(q, 20); raw.search.all(matchExpression(q)!, 20); await theirs?.searchCases(q, 20); }
  const perQuery: Record<string, number> = {};
  const FTS_ROUNDS = small ? 50 : 200;
  const qOf = (i: number) => queries[i % queries.length]!;
  // The raw side gets the MATCH expression already built (what FTS5 itself costs).
  const matches = queries.map((q) => matchExpression(q)!);
  await interleave(FTS_ROUNDS * queries.length, sides(async (i) => {
    const t = performance.now();
    await svc.searchCases(qOf(i), 20);
    perQuery[qOf(i)] = Math.max(perQuery[qOf(i)] ?? 0, performance.now() - t);
  }, (i) => raw.search.all(matches[i % queries.length]!, 20), (s, i) => s.searchCases(qOf(i), 20)), fts);
  const hitCounts = Object.fromEntries(await Promise.all(queries.map(async (q) => [q, (await svc.searchCases(q, 20)).length] as const)));

  // Append rate: the service's addNote (validation, event, case touch, search index, one fsync'd
  // transaction) against a raw transaction doing the same three writes, in blocks of 50.
  const APPENDS = small ? 300 : 1_000;
  const appendCase = (await svc.createCase({ customerId: 1, subject: 'bench appends' })).id;
  const theirCase = theirs ? ((await theirs.createCase({ customerId: 1, subject: 'bench appends (compare)' })) as { id: number }).id : 0;
  const note = (i: number) => `bench append ${i}: router reboots, 請求書 checked`;
  const rawAppend = db.transaction((i: number) => {
    const text = note(i);
    const seq = Number(raw.insEvent.run(appendCase, 1, 'note', Date.now(), 'bench-agent', JSON.stringify({ type: 'note', text })).lastInsertRowid);
    raw.touch.run(Date.now(), appendCase);
    raw.insSearch.run(seq, indexText(text));
  });
  const measureAppends = async (ours: BenchService) => {
    const blocks = samples();
    const block = (fn: (i: number) => unknown) => async (b: number) => { for (let i = 0; i < 50; i++) await fn(b * 50 + i); };
    await interleave(APPENDS / 50, sides(block((i) => ours.addNote(appendCase, note(i))), block((i) => rawAppend.immediate(i)), (s, b) => block((i) => s.addNote(theirCase, note(i)))(b)), blocks);
    const rate = (ms: number[]) => APPENDS / (ms.reduce((a, x) => a + x, 0) / 1000);
    return { ours: rate(blocks.ours), raw: rate(blocks.raw), theirs: rate(blocks.theirs) };
  };
  const full = await measureAppends(svc);
  // synchronous=NORMAL: ours through a second service opened that way, the others by switching their connection.
  const svcNormal = new CaseService({ dataDir: dir, agentId: 'bench-agent', durability: 'normal' });
  await svcNormal.ready;
  db.pragma('synchronous = NORMAL');
  theirs?.db?.pragma('synchronous = NORMAL');
  const normal = await measureAppends(svcNormal);
  await svcNormal.close();

  // Same keys on every side by construction, so every metric has its twins.
  const side = (k: 'ours' | 'raw' | 'theirs') => ({
    ...percentiles('ani_lookup', lookup[k]), ...percentiles('screen_pop', pop[k]),
    ...percentiles('case_history', hist[k]), ...percentiles('fts', fts[k]),
    append_full_per_s: full[k], append_normal_per_s: normal[k],
  });
  const metrics = side('ours');
  const baseline = side('raw');
  const fourDigits = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v, 4)]));
  let compare: Record<string, unknown> | undefined;
  if (theirs) {
    const them = side('theirs');
    console.log(`\n# ours vs --compare=${COMPARE} (interleaved on the same file; ms, or events/s for appends)`);
    for (const k of Object.keys(metrics) as Array<keyof typeof metrics>) {
      console.log(`${k.padEnd(22)} ${String(round(metrics[k], 3)).padStart(10)} ${String(round(them[k], 3)).padStart(10)}  ${round(metrics[k] / them[k], 2)}`);
    }
    compare = { dir: COMPARE, metrics: fourDigits(them) };
  }
  report({
    name: 'cases',
    metrics: fourDigits(metrics),
    baseline: fourDigits(baseline),
    notes: {
      customers: CUSTOMERS, cases: CASES, events: EVENTS, dbBytes, schemaVersion: SCHEMA_VERSION,
      generatedThisRun: generatedNow, generationSeconds: round(genSeconds, 1), migratedFrom,
      samples: { lookups: N, pops: N, histories: N, fts: fts.ours.length, appends: APPENDS },
      ftsWorstPerQueryMs: Object.fromEntries(Object.entries(perQuery).map(([k, v]) => [k, round(v, 3)])),
      ftsHits: hitCounts,
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: round(totalmem() / 2 ** 30, 1), loadavgAtEnd: loadavg().map((x) => round(x, 1)) },
      node: process.version,
      sqlite: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
      baselineMeans: 'raw better-sqlite3 statements with the same SQL on a connection in the bench thread; ours = CaseService (E.164 parsing, a round trip to its database worker, row mapping, JSON parse of event bodies, query building)',
      ...(compare ? { compare } : {}),
    },
  }, [
    { metric: 'ANI lookup p50', ours: metrics.ani_lookup_p50_ms, baseline: baseline.ani_lookup_p50_ms, unit: 'ms' },
    { metric: 'ANI lookup p99', ours: metrics.ani_lookup_p99_ms, baseline: baseline.ani_lookup_p99_ms, unit: 'ms' },
    { metric: 'screen pop (customer+cases+50-event timeline) p50', ours: metrics.screen_pop_p50_ms, baseline: baseline.screen_pop_p50_ms, unit: 'ms' },
    { metric: 'screen pop p99', ours: metrics.screen_pop_p99_ms, baseline: baseline.screen_pop_p99_ms, unit: 'ms' },
    { metric: 'case history (100 events) p50', ours: metrics.case_history_p50_ms, baseline: baseline.case_history_p50_ms, unit: 'ms' },
    { metric: 'case history p99', ours: metrics.case_history_p99_ms, baseline: baseline.case_history_p99_ms, unit: 'ms' },
    { metric: 'FTS query (en/ja, top 20) p50', ours: metrics.fts_p50_ms, baseline: baseline.fts_p50_ms, unit: 'ms' },
    { metric: 'FTS query p99', ours: metrics.fts_p99_ms, baseline: baseline.fts_p99_ms, unit: 'ms' },
    { metric: 'event append, synchronous=FULL', ours: metrics.append_full_per_s, baseline: baseline.append_full_per_s, unit: 'events/s' },
    { metric: 'event append, synchronous=NORMAL', ours: metrics.append_normal_per_s, baseline: baseline.append_normal_per_s, unit: 'events/s' },
  ]);
  console.log('FTS worst per query (ms):', notesFmt(perQuery));
  console.log('FTS hits per query:', hitCounts);
  await theirs?.close();
  await svc.close();
  db.close();
}

const notesFmt = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k}=${round(v, 2)}`).join('  ');

main().catch((err: unknown) => { console.error(err); process.exit(1); });
