import type { Migration } from './types';
import { indexText, searchableText } from '../segment';

/**
 * Full-text search over notes, OCR text, dispositions and case subjects.
 * unicode61 alone does not split Japanese (a run of kanji/kana is one token),
 * so text is pre-segmented in JS: CJK runs become overlapping bigrams, other
 * scripts stay words (see segment.ts). The table is contentless: the text is
 * already in events, the index only maps terms to event seqs.
 */
export const migration2: Migration = {
  version: 2,
  name: 'search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE event_search USING fts5(
        body,
        content = '',
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `);
    // Events written under version 1 become searchable too.
    const insert = db.prepare('INSERT INTO event_search (rowid, body) VALUES (?, ?)');
    // Paged: better-sqlite3 cannot write while a read cursor is open on the same connection.
    const page = db.prepare(`SELECT seq, body FROM events WHERE seq > ? AND type IN ('note', 'ocr_result', 'disposition', 'case_opened') ORDER BY seq LIMIT 2000`);
    for (let last = 0; ;) {
      const rows = page.all(last) as Array<{ seq: number; body: string }>;
      if (rows.length === 0) break;
      for (const row of rows) {
        const text = searchableText(JSON.parse(row.body));
        if (text) insert.run(row.seq, indexText(text));
      }
      last = rows[rows.length - 1]!.seq;
    }
  },
};
