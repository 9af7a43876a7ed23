/**
 * The reporting tests, written once and run against every store
 * (kpis-sqlite.test.ts, kpis-postgres.test.ts): the same fixture must give
 * the same exact figures on both engines.
 */
import { describe, expect, it } from 'vitest';
import type { ReportingStore } from '../../../signaling-server/reporting/store';
import { D0, DAY, fixtureLog } from './fixture';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const ALL = { from: iso(D0), to: iso(D0 + 30 * DAY) };

export function reportingContract(name: string, open: () => Promise<ReportingStore | { skip: string }>): void {
  describe(`reporting KPIs on ${name}`, () => {
    let store: ReportingStore | undefined;
    let skip = '';
    const get = async (ctx: { skip: (cond: boolean, note: string) => void }): Promise<ReportingStore> => {
      if (!store && !skip) {
        const s = await open();
        if ('skip' in s) skip = s.skip;
        else {
          store = s;
          const { events } = fixtureLog();
          for (const e of events) {
            const r = await store.ingest(e, e.at);
            if (!r.ok) throw new Error(`fixture event refused: ${r.message}`);
          }
        }
      }
      ctx.skip(!!skip, skip);
      return store!;
    };

    it('delivering the same event again stores it once and changes no figure', async (ctx) => {
      const s = await get(ctx);
      const before = await s.kpis(ALL, null);
      const { events } = fixtureLog();
      for (const e of events.slice(0, 12)) expect(await s.ingest(e, e.at)).toEqual({ ok: true, duplicate: true });
      const many = await s.ingestMany(events, 0);
      expect(many).toEqual({ stored: 0, duplicates: events.length, invalid: 0 });
      expect(await s.kpis(ALL, null)).toEqual(before);
    });

    it('first-contact resolution: repeats inside the window count against, outside do not, across desktops and in any order', async (ctx) => {
      const s = await get(ctx);
      const r = await s.kpis(ALL, null);
      expect(r.total.contacts).toBe(11);
      expect(r.total.closed).toBe(10);
      expect(r.total.fcr).toEqual({ resolvedFirst: 5, rate: 0.5 });
      // a 10-day window catches B:1's repeat 8 days later
      const wide = await s.kpis(ALL, null, { fcrWindowDays: 10 });
      expect(wide.total.fcr).toEqual({ resolvedFirst: 4, rate: 0.4 });
      const rows = await s.contacts(ALL, { limit: 100 });
      const fcr = Object.fromEntries(rows.map((c) => [c.contactId, c.firstContactResolved]));
      expect(fcr).toEqual({
        'instA:1': false, 'instB:1': true, 'instA:2': true, 'instA:3': false, 'instB:2': false, 'instA:4': true,
        'instA:5': false, 'instA:6': false, 'instA:7': false, 'instB:3': true, 'instA:8': true,
      });
    });

    it('average handle time counts each segment (a transfer makes two), talk + hold + after-contact work', async (ctx) => {
      const s = await get(ctx);
      const r = await s.kpis(ALL, 'agent');
      expect(r.total.aht).toEqual({ segments: 4, avgSec: 280 });
      const by = Object.fromEntries(r.rows.map((x) => [x.key, x.aht]));
      expect(by).toEqual({ a1: { segments: 2, avgSec: 260 }, a2: { segments: 1, avgSec: 300 }, b1: { segments: 1, avgSec: 300 } });
      expect(Object.fromEntries(r.rows.map((x) => [x.key, x.contacts]))).toEqual({ a1: 6, a2: 2, b1: 3 });
    });

    it('CSAT: top-two-box share with n and response rate, suppressed below the minimum n', async (ctx) => {
      const s = await get(ctx);
      const r = await s.kpis(ALL, null, { csatMinN: 3 });
      expect(r.total.csat).toEqual({ n: 4, topTwo: 3, rate: 0.75, suppressed: false, offered: 5, responseRate: 0.8 });
      const b1 = await s.kpis({ ...ALL, agentId: 'b1' }, null, { csatMinN: 3 });
      expect(b1.total.csat).toEqual({ n: 1, topTwo: 0, rate: null, suppressed: true, offered: 1, responseRate: 1 });
      // the default minimum (10) suppresses the whole fixture
      expect((await s.kpis(ALL, null)).total.csat.rate).toBeNull();
    });

    it('dispatches avoided: only candidates resolved remotely with no dispatch within N days', async (ctx) => {
      const s = await get(ctx);
      expect((await s.kpis(ALL, null)).total.dispatches).toEqual({ candidates: 3, avoided: 1 });
      // with a 3-day window B:2's dispatch (5 days after A:3) no longer counts against it
      expect((await s.kpis(ALL, null, { dispatchWindowDays: 3 })).total.dispatches).toEqual({ candidates: 3, avoided: 2 });
    });

    it('visual sessions: share, link-to-first-frame p50/p90 and sessions with no frame by cause', async (ctx) => {
      const s = await get(ctx);
      const r = await s.kpis(ALL, null);
      expect(r.total.visual).toEqual({ sessions: 5, share: 5 / 11, noFrame: 1 });
      expect(r.firstFrame).toEqual({ n: 4, p50Ms: 1200, p90Ms: 4000 });
      expect(r.noFrameByCause).toEqual([{ cause: 'consent_declined', n: 1 }]);
    });

    it('credits per agent, share audited, share questioned after a supervisor questions one', async (ctx) => {
      const s = await get(ctx);
      const queue = await s.auditQueue();
      expect(queue.map((q) => [q.contactId, q.amountMinor, q.agentId])).toEqual([['instB:1', 8000, 'b1'], ['instA:2', 12000, 'a2']]);
      const b1credit = queue[0]!;
      const rev = await s.review(b1credit.contactId, b1credit.creditSeq, 'questioned', 'why so much?', 'sup1', D0 + 4 * DAY);
      expect(rev.ok).toBe(true);
      expect(await s.review(b1credit.contactId, b1credit.creditSeq, 'fine', null, 'sup2', D0 + 4 * DAY)).toEqual({ ok: false, code: 'already_reviewed' });
      expect(await s.review('instA:1', 6, 'fine', null, 'sup1', 0)).toEqual({ ok: false, code: 'not_audited' });
      expect(await s.review('instA:99', 1, 'fine', null, 'sup1', 0)).toEqual({ ok: false, code: 'not_found' });
      expect((await s.auditQueue()).map((q) => q.contactId)).toEqual(['instA:2']);
      // the desktop that holds the case finds the verdict in its inbox
      const inbox = await s.reviewsFor('instB', 0);
      expect(inbox.map((i) => [i.caseId, i.creditSeq, i.verdict, i.note, i.reviewerId])).toEqual([[1, b1credit.creditSeq, 'questioned', 'why so much?', 'sup1']]);
      expect(await s.reviewsFor('instA', 0)).toEqual([]);
      const r = await s.kpis(ALL, null);
      expect(r.total.credits).toEqual({ count: 3, sumMinor: { USD: 20500 }, audited: 2, questioned: 1, auditedShare: 2 / 3, questionedShare: 0.5 });
      expect(r.credits).toEqual([
        { agentId: 'a1', currency: 'USD', count: 1, sumMinor: 500, audited: 0, questioned: 0 },
        { agentId: 'a2', currency: 'USD', count: 1, sumMinor: 12000, audited: 1, questioned: 0 },
        { agentId: 'b1', currency: 'USD', count: 1, sumMinor: 8000, audited: 1, questioned: 1 },
      ]);
    });

    it('groups by day with the filters applied', async (ctx) => {
      const s = await get(ctx);
      const r = await s.kpis(ALL, 'day');
      expect(r.rows.map((x) => [x.key, x.contacts])).toEqual([
        [iso(D0), 2], [iso(D0 + DAY), 3], [iso(D0 + 2 * DAY), 1], [iso(D0 + 3 * DAY), 1], [iso(D0 + 5 * DAY), 1],
        [iso(D0 + 11 * DAY), 1], [iso(D0 + 20 * DAY), 1], [iso(D0 + 22 * DAY), 1],
      ]);
      const internet = await s.kpis({ ...ALL, category: 'internet' }, 'queue');
      expect(internet.total.contacts).toBe(4);
      const week1 = await s.kpis({ from: iso(D0), to: iso(D0 + 6 * DAY) }, null);
      expect(week1.total.contacts).toBe(8);
    });

    it('refuses a malformed event with a reason and stores nothing', async (ctx) => {
      const s = await get(ctx);
      const bad = { ...fixtureLog().events[0]!, idempotencyKey: 'instZ:1', installId: 'instZ', seq: 1, type: 'csat', body: { score: 9 } };
      const r = await s.ingest(bad, 0);
      expect(r.ok).toBe(false);
      expect(r.ok === false && r.message).toMatch(/score/);
      const wrongKey = { ...bad, body: { score: 3 }, idempotencyKey: 'instZ:2' };
      expect((await s.ingest(wrongKey, 0)).ok).toBe(false);
      expect((await s.kpis(ALL, null)).total.contacts).toBe(11);
    });

    it('contact rows carry no customer data', async (ctx) => {
      const s = await get(ctx);
      const rows = await s.contacts(ALL);
      expect(Object.keys(rows[0]!).sort()).toEqual(['agentId', 'category', 'contactId', 'credits', 'csat', 'day', 'firstContactResolved', 'handleSec', 'openedAt', 'outcome', 'queue', 'visual']);
    });
    it('the daily roll-ups give the same report as the base tables for every grouping, one-dimension filter and window, also after more events arrive', async (ctx) => {
      const s = await get(ctx) as ReportingStore & { useRollups?: boolean };
      ctx.skip(s.useRollups === undefined, 'this store has no roll-ups');
      const cases: Array<[Record<string, string>, 'day' | 'queue' | 'agent' | 'category' | null]> = [
        [{}, null], [{}, 'day'], [{}, 'queue'], [{}, 'agent'], [{}, 'category'],
        [{ agentId: 'a1' }, 'day'], [{ agentId: 'a1' }, null], [{ queue: 'billing' }, 'queue'], [{ category: 'internet' }, 'day'],
        [{ from: iso(D0 + 2 * DAY), to: iso(D0 + 9 * DAY) }, 'agent'],
      ];
      const compare = async () => {
        for (const [f, g] of cases) {
          for (const w of [0, 1, 7, 10, 90]) {
            const filter = { ...ALL, ...f };
            s.useRollups = true;
            const fromRollups = await s.kpis(filter, g, { fcrWindowDays: w, dispatchWindowDays: w, csatMinN: 1 });
            s.useRollups = false;
            const fromBase = await s.kpis(filter, g, { fcrWindowDays: w, dispatchWindowDays: w, csatMinN: 1 });
            s.useRollups = true;
            expect(fromRollups, `${JSON.stringify(f)} by ${g} window ${w}`).toEqual(fromBase);
          }
        }
      };
      await compare();
      // a late repeat contact changes an earlier day's FCR, a verdict changes a credit's day: the roll-ups follow
      const { lateFirst } = fixtureLog();
      for (const e of lateFirst) await s.ingest({ ...e, idempotencyKey: `${e.idempotencyKey}-late`, seq: e.seq + 10_000, caseId: e.caseId + 10_000 }, e.at);
      const audit = await s.auditQueue({ includeReviewed: false });
      if (audit[0]) await s.review(audit[0].contactId, audit[0].creditSeq, 'fine', null, 'sup-x', D0 + 31 * DAY);
      await compare();
    });
  });
}
