import type { Database, Statement } from 'better-sqlite3';
import type { SearchHit } from '../../src-preload/contract/cases';
import { matchExpression, searchableText, snippet } from './segment';

interface HitRow { seq: number; case_id: number; customer_id: number; type: string; at: number; body: string; name: string; subject: string }

/**
 * Full-text search. Newest matches first (ORDER BY rowid DESC is what FTS5
 * serves fastest, and the latest contact is what an agent is after), then
 * joined to the event, case and customer for display.
 */
export class CaseSearch {
  private readonly stmt: Statement<[string, number], HitRow>;

  constructor(db: Database) {
    this.stmt = db.prepare(`
      SELECT e.seq, e.case_id, e.customer_id, e.type, e.at, e.body, cu.name, c.subject
      FROM (SELECT rowid FROM event_search WHERE event_search MATCH ? ORDER BY rowid DESC LIMIT ?) s
      JOIN events e ON e.seq = s.rowid
      JOIN cases c ON c.id = e.case_id
      JOIN customers cu ON cu.id = e.customer_id
      ORDER BY e.seq DESC`);
  }

  search(query: string, limit = 20): SearchHit[] {
    const match = matchExpression(query);
    if (!match) return [];
    return this.stmt.all(match, limit).map((r) => ({
      seq: r.seq,
      caseId: r.case_id,
      customerId: r.customer_id,
      customerName: r.name,
      subject: r.subject,
      type: r.type,
      at: r.at,
      snippet: snippet(searchableText(JSON.parse(r.body)) ?? '', query),
    }));
  }
}
