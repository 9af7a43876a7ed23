import type { Migration } from './types';
import { indexText, searchableText } from '../segment';

/**
 * Rebuild the search index with English stemming (porter over unicode61).
 * Step 2 matched English words as prefixes (bill* for billed), but FTS5
 * merges the whole doclist of every term under a prefix in memory: on 10M
 * events a common word took 100+ ms. Stemming matches billed/billing/bills
 * from "bill" with plain term lookups. The stemmer only touches ASCII word
 * endings, so the CJK bigrams are indexed exactly as before.
 */
export const migration5: Migration = {
  version: 5,
  name: 'search-stemming',
  up(db) {
    db.exec(`
      DROP TABLE event_search;
      CREATE VIRTUAL TABLE event_search USING fts5(
        body,
        content = '',
        tokenize = 'porter unicode61 remove_diacritics 2'
      );
    `);
    const insert = db.prepare('INSERT INTO event_search (rowid, body) VALUES (?, ?)');
    const page = db.prepare(`SELECT seq, body FROM events WHERE seq > ? AND type IN ('note', 'ocr_result', 'disposition', 'case_opened') ORDER BY seq LIMIT 5000`);
    for (let last = 0; ;) {
      const rows = page.all(last) as Array<{ seq: number; body: string }>;
      if (rows.length === 0) break;
      for (const row of rows) {
        const text = searchableText(JSON.parse(row.body));
        if (text) insert.run(row.seq, indexText(text));
      }
      last = rows[rows.length - 1]!.seq;
    }
    db.exec(`INSERT INTO event_search (event_search) VALUES ('optimize')`);
  },
};
