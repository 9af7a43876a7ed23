/**
 * How one case event changes the derived tables, inside the ingest
 * transaction. Each function is the same SQL on both engines.
 *
 * First-contact resolution and dispatches avoided need to know whether the
 * same customer came back on the same issue within N days. Scanning for that
 * at query time is a lookup per contact (seconds at a million contacts), so
 * each contact keeps the gap to the customer's next contact on the same
 * category (`next_gap_ms`) and to the next one that ended in a dispatch
 * (`next_dispatch_gap_ms`), kept exact as contacts arrive in any order; the
 * window is then a comparison at query time (up to MAX_WINDOW_DAYS).
 */
import type { SqlExec, SqlValue } from './sql/db';
import { Bodies, DAY_MS, MAX_WINDOW_DAYS, dayOf, type Delivery } from './types';
import { markDirty, markDirtyWhere } from './rollup';

export const UNCATEGORISED = 'uncategorised';
export const NO_QUEUE = '(none)';
const LOOKBACK_MS = MAX_WINDOW_DAYS * DAY_MS;

export const contactIdOf = (installId: string, caseId: number): string => `${installId}:${caseId}`;

interface ContactFacts { category: string, queue: string, opened_at: number }

/** The body problem the KPIs would meet, or null: checked before anything is written. */
export function bodyProblem(e: Delivery): string | null {
  const schema = (Bodies as Record<string, { safeParse(v: unknown): { success: boolean, error?: { issues: Array<{ path: PropertyKey[], message: string }> } } }>)[e.type];
  if (!schema) return null;
  const r = schema.safeParse(e.body);
  return r.success ? null : `body of ${e.type}: ${r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
}

/** Apply one (new, validated) event. Throws on a body the KPIs cannot read (the caller rolls back). */
export async function project(x: SqlExec, e: Delivery): Promise<void> {
  const contactId = contactIdOf(e.installId, e.caseId);
  if (e.type === 'case_opened') {
    const b = Bodies.case_opened.parse(e.body);
    await openContact(x, contactId, e, b.category ?? UNCATEGORISED, e.customerKeys ?? []);
    return;
  }
  const handled = ['segment_started', 'segment_ended', 'disposition', 'session_started', 'session_ended', 'csat', 'credit', 'credit_review'];
  if (!handled.includes(e.type)) return;
  // A desktop that started reporting after the case was opened: the contact starts at its first event seen.
  const c = await ensureContact(x, contactId, e);
  // every change below touches this contact's day (and the days named in each case)
  await markDirty(x, [dayOf(Number(c.opened_at))]);
  switch (e.type) {
    case 'segment_started': {
      const b = Bodies.segment_started.parse(e.body);
      const queue = b.queue ?? c.queue;
      await markDirtyWhere(x, 'contact_id = ? AND segment_id = ?', [contactId, b.segmentId], 'segments');
      await x.run(`INSERT INTO segments (contact_id, segment_id, agent_id, queue, category, via, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (contact_id, segment_id) DO UPDATE SET agent_id = excluded.agent_id, queue = excluded.queue, via = excluded.via, started_at = excluded.started_at`,
      [contactId, b.segmentId, e.agentId, queue, c.category, b.via, e.at]);
      if (b.queue && c.queue === NO_QUEUE) await x.run('UPDATE contacts SET queue = ? WHERE contact_id = ?', [b.queue, contactId]);
      return;
    }
    case 'segment_ended': {
      const b = Bodies.segment_ended.parse(e.body);
      const handle = Math.round(b.talkSec + b.holdSec + b.acwSec);
      const prev = await x.all<{ handle_sec: number | null }>('SELECT handle_sec FROM segments WHERE contact_id = ? AND segment_id = ?', [contactId, b.segmentId]);
      await markDirtyWhere(x, 'contact_id = ? AND segment_id = ?', [contactId, b.segmentId], 'segments');
      await markDirty(x, [dayOf(e.at)]);
      const params: SqlValue[] = [contactId, b.segmentId, e.agentId, c.queue, c.category, 'new', e.at, dayOf(e.at), Math.round(b.talkSec), Math.round(b.holdSec), Math.round(b.acwSec), handle];
      await x.run(`INSERT INTO segments (contact_id, segment_id, agent_id, queue, category, via, ended_at, day, talk_sec, hold_sec, acw_sec, handle_sec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (contact_id, segment_id) DO UPDATE SET ended_at = excluded.ended_at, day = excluded.day, talk_sec = excluded.talk_sec, hold_sec = excluded.hold_sec, acw_sec = excluded.acw_sec, handle_sec = excluded.handle_sec`, params);
      await x.run('UPDATE contacts SET handle_sec = handle_sec + ? WHERE contact_id = ?', [handle - (prev[0]?.handle_sec ?? 0), contactId]);
      return;
    }
    case 'disposition': {
      const d = Bodies.disposition.parse(e.body).disposition;
      await x.run('UPDATE contacts SET outcome = ?, closed_at = ?, dispatch_candidate = ? WHERE contact_id = ?', [d.outcome, e.at, d.dispatchCandidate ? 1 : 0, contactId]);
      if (d.outcome === 'technician_dispatch') await markEarlierDispatchGaps(x, contactId, c);
      return;
    }
    case 'session_started': {
      const b = Bodies.session_started.parse(e.body);
      await x.run('UPDATE contacts SET visual = 1, link_sent_at = COALESCE(link_sent_at, ?) WHERE contact_id = ?', [b.linkSentAt ?? e.at, contactId]);
      return;
    }
    case 'session_ended': {
      const b = Bodies.session_ended.parse(e.body);
      if (b.firstFrameMs !== undefined) {
        await x.run('UPDATE contacts SET visual = 1, first_frame_ms = COALESCE(first_frame_ms, ?), no_frame_cause = NULL WHERE contact_id = ?', [b.firstFrameMs, contactId]);
      } else {
        await x.run('UPDATE contacts SET visual = 1, no_frame_cause = ? WHERE contact_id = ? AND first_frame_ms IS NULL', [(b.noFrameCause ?? b.reason ?? 'unknown').slice(0, 40), contactId]);
      }
      return;
    }
    case 'csat': {
      const b = Bodies.csat.parse(e.body);
      await x.run('UPDATE contacts SET csat_score = ? WHERE contact_id = ?', [b.score, contactId]);
      return;
    }
    case 'credit': {
      const b = Bodies.credit.parse(e.body);
      await markDirty(x, [dayOf(e.at)]);
      const n = await x.run(`INSERT INTO credits (contact_id, seq, agent_id, at, day, queue, category, amount_minor, currency, audited, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (contact_id, seq) DO NOTHING`, [contactId, e.seq, e.agentId, e.at, dayOf(e.at), c.queue, c.category, b.amountMinor, b.currency, b.audited ? 1 : 0, b.reason]);
      if (n) await x.run('UPDATE contacts SET credits_count = credits_count + 1 WHERE contact_id = ?', [contactId]);
      return;
    }
    case 'credit_review': {
      const b = Bodies.credit_review.parse(e.body);
      // the verdict usually came from this server first (review()); the first one wins
      await markDirtyWhere(x, 'contact_id = ? AND seq = ? AND verdict IS NULL', [contactId, b.creditSeq], 'credits');
      await x.run('UPDATE credits SET verdict = ?, reviewer_id = ?, review_note = ?, reviewed_at = ? WHERE contact_id = ? AND seq = ? AND verdict IS NULL',
        [b.verdict, b.reviewerId, b.note ?? null, e.at, contactId, b.creditSeq]);
      return;
    }
  }
}

async function ensureContact(x: SqlExec, contactId: string, e: Delivery): Promise<ContactFacts> {
  const rows = await x.all<ContactFacts>('SELECT category, queue, opened_at FROM contacts WHERE contact_id = ?', [contactId]);
  if (rows[0]) return rows[0];
  await x.run(`INSERT INTO contacts (contact_id, install_id, case_id, agent_id, opened_at, day, category, queue) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [contactId, e.installId, e.caseId, e.agentId, e.at, dayOf(e.at), UNCATEGORISED, NO_QUEUE]);
  await markDirty(x, [dayOf(e.at)]);
  return { category: UNCATEGORISED, queue: NO_QUEUE, opened_at: e.at };
}

const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');

async function openContact(x: SqlExec, contactId: string, e: Delivery, category: string, keys: readonly string[]): Promise<void> {
  const t = e.at;
  // a contact first seen by a later event moves to its opening day: both days change
  await markDirtyWhere(x, 'contact_id = ?', [contactId]);
  await markDirty(x, [dayOf(t)]);
  await x.run(`INSERT INTO contacts (contact_id, install_id, case_id, agent_id, opened_at, day, category, queue) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (contact_id) DO UPDATE SET agent_id = excluded.agent_id, opened_at = excluded.opened_at, day = excluded.day, category = excluded.category`,
  [contactId, e.installId, e.caseId, e.agentId, t, dayOf(t), category, NO_QUEUE]);
  const uniq = [...new Set(keys)];
  if (!uniq.length) return;
  for (const k of uniq) {
    await x.run('INSERT INTO contact_keys (key_hash, category, opened_at, contact_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [k, category, t, contactId]);
  }
  const inKeys = inList(uniq.length);
  // earlier contacts of this customer on this issue: this one is their repeat contact
  const earlier = `contact_id IN (SELECT contact_id FROM contact_keys WHERE key_hash IN (${inKeys}) AND category = ? AND opened_at < ? AND opened_at >= ?)
      AND (next_gap_ms IS NULL OR next_gap_ms > ? - opened_at)`;
  await markDirtyWhere(x, earlier, [...uniq, category, t, t - LOOKBACK_MS, t]);
  await x.run(`UPDATE contacts SET next_gap_ms = ? - opened_at WHERE ${earlier}`, [t, ...uniq, category, t, t - LOOKBACK_MS, t]);
  // later contacts already here (another desktop delivered first): this one's own gaps
  const next = await x.all<{ t: number | null }>(`SELECT min(opened_at) AS t FROM contact_keys WHERE key_hash IN (${inKeys}) AND category = ? AND opened_at > ?`, [...uniq, category, t]);
  const nextDispatch = await x.all<{ t: number | null }>(`SELECT min(k.opened_at) AS t FROM contact_keys k JOIN contacts c ON c.contact_id = k.contact_id
    WHERE k.key_hash IN (${inKeys}) AND k.category = ? AND k.opened_at > ? AND c.outcome = 'technician_dispatch'`, [...uniq, category, t]);
  const gap = next[0]?.t != null ? Number(next[0].t) - t : null;
  const dgap = nextDispatch[0]?.t != null ? Number(nextDispatch[0].t) - t : null;
  if (gap !== null || dgap !== null) await x.run('UPDATE contacts SET next_gap_ms = ?, next_dispatch_gap_ms = ? WHERE contact_id = ?', [gap, dgap, contactId]);
}

async function markEarlierDispatchGaps(x: SqlExec, contactId: string, c: ContactFacts): Promise<void> {
  const keys = (await x.all<{ key_hash: string }>('SELECT key_hash FROM contact_keys WHERE contact_id = ?', [contactId])).map((r) => r.key_hash);
  if (!keys.length) return;
  const t = Number(c.opened_at);
  const earlier = `contact_id IN (SELECT contact_id FROM contact_keys WHERE key_hash IN (${inList(keys.length)}) AND category = ? AND opened_at < ? AND opened_at >= ?)
      AND (next_dispatch_gap_ms IS NULL OR next_dispatch_gap_ms > ? - opened_at)`;
  await markDirtyWhere(x, earlier, [...keys, c.category, t, t - LOOKBACK_MS, t]);
  await x.run(`UPDATE contacts SET next_dispatch_gap_ms = ? - opened_at WHERE ${earlier}`, [t, ...keys, c.category, t, t - LOOKBACK_MS, t]);
}
