/**
 * Text segmentation for the FTS index. SQLite's unicode61 tokenizer splits on
 * spaces and punctuation, which is right for English but leaves a Japanese
 * sentence as one giant token. We index CJK runs as overlapping bigrams
 * (請求書 → 請求 求書), the usual approach for search without a dictionary,
 * and turn a query into the same bigrams as a phrase, so 請求書 and 二重請求
 * match wherever those characters appear consecutively. The trigram
 * tokenizer would also work but cannot match two-character words (請求).
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

function normalise(text: string): string {
  // NFKC folds full-width ＡＢＣ１２３ and half-width ｶﾅ into their usual forms.
  return text.normalize('NFKC').toLowerCase();
}

interface Piece { cjk: boolean; text: string }

/** Split into runs: CJK runs, and word runs of other letters/digits. Everything else separates. */
function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  let cur: Piece | null = null;
  for (const ch of normalise(text)) {
    const cjk = CJK.test(ch);
    const word = !cjk && WORD_CHAR.test(ch);
    if (!cjk && !word) { cur = null; continue; }
    if (!cur || cur.cjk !== cjk) { cur = { cjk, text: '' }; out.push(cur); }
    cur.text += ch;
  }
  return out;
}

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** The string stored in the FTS index for a piece of text. */
export function indexText(text: string): string {
  return pieces(text).map((p) => (p.cjk ? bigrams(p.text).join(' ') : p.text)).join(' ');
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * An FTS5 MATCH expression for what the agent typed: every word must match
 * (AND). Latin words match by their English stem (the index uses porter:
 * "bill" finds billed, billing, bills); a word ending in * is a prefix, for
 * when the agent asks for one (prefixes of common words are slow on a big
 * cache). A CJK run must match as consecutive bigrams. Returns null when
 * nothing searchable is left.
 */
export function matchExpression(query: string): string | null {
  const terms: string[] = [];
  const prefixWords = new Set<string>();
  for (const m of normalise(query).matchAll(/([\p{L}\p{N}]+)\*/gu)) prefixWords.add(m[1]!);
  for (const p of pieces(query)) {
    if (!p.cjk) terms.push(prefixWords.has(p.text) ? `${quote(p.text)}*` : quote(p.text));
    else {
      const grams = bigrams(p.text);
      // A lone character matches any bigram starting with it (and single-char runs).
      terms.push(grams.length === 1 && [...p.text].length === 1 ? `${quote(grams[0]!)}*` : quote(grams.join(' ')));
    }
  }
  return terms.length ? terms.join(' AND ') : null;
}

/** The human text of an event that search covers (notes, OCR, dispositions, subjects). */
export function searchableText(body: { type: string } & Record<string, unknown>): string | null {
  switch (body.type) {
    case 'note': return String(body.text ?? '');
    case 'ocr_result': return String(body.text ?? '');
    case 'case_opened': return String(body.subject ?? '');
    case 'disposition': {
      const d = body.disposition as { summary?: string; partsAndTools?: Array<{ item: string }> } | undefined;
      return [d?.summary ?? '', ...(d?.partsAndTools ?? []).map((p) => p.item)].join('\n');
    }
    default: return null;
  }
}

/** A short excerpt around the first match, for result lists. */
export function snippet(text: string, query: string, width = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = normalise(flat);
  let at = -1;
  for (const p of pieces(query)) {
    const i = lower.indexOf(p.text);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  if (flat.length <= width) return flat;
  const start = Math.max(0, Math.min(at < 0 ? 0 : at - Math.floor(width / 3), flat.length - width));
  return (start > 0 ? '…' : '') + flat.slice(start, start + width) + (start + width < flat.length ? '…' : '');
}
