/**
 * Bill and receipt extraction from an OCR page (English and Japanese, many
 * countries' formats). Pure TypeScript: the app's OCR service, the CLI and
 * the benchmark (native tesseract text) all go through this one function.
 *
 * Approach: find labelled lines (Total / 合計, Due date / お支払期限 …), read
 * the value to the right of the label (or on the next line), then cross-check
 * subtotal + tax = total and the line items against the subtotal; a
 * consistent set raises confidence, and an amount whose decimal point OCR
 * dropped is repaired from the others when its digits match.
 */
import { currencyDigits } from '../../src-preload/contract/money';
import { detectCurrency, findAmounts, round2, sameMoney, type AmountMatch } from './amounts';
import { findDates, inferDateOrder, type DateMatch, type DateOrder } from './dates';
import { ADDRESS, COMPANY, LEGAL_FORM, labelsIn, NOT_VENDOR, type LabelKind } from './labels';
import { boxOf, confOf, joinLine, labelKey, type JoinedLine } from './normalize';
import type { BillFields, Box, Field, LineItem, OcrLine, OcrPage } from './types';
import { unionBox } from './types';

interface LineInfo {
  j: JoinedLine;
  key: string;
  labels: Array<{ kind: LabelKind; start: number; end: number }>;
  amounts: AmountMatch[];
  dates: DateMatch[];
}

const field = <T>(value: T, confidence: number, box: Box | null, source: string): Field<T> =>
  ({ value, confidence: Math.max(0, Math.min(1, Number(confidence.toFixed(3)))), box, source });

function analyse(lines: OcrLine[], currency: string | undefined, order: DateOrder): LineInfo[] {
  return lines.map((l, i) => {
    const j = joinLine(l, i);
    const key = labelKey(j.text);
    return { j, key, labels: labelsIn(key), amounts: findAmounts(j.text, currency), dates: findDates(j.text, order) };
  });
}

const has = (li: LineInfo, k: LabelKind) => li.labels.find((l) => l.kind === k);

/** The money value a label line carries: the rightmost amount after the label, else the next line's. */
function amountFor(lines: LineInfo[], i: number, labelEnd: number): { a: AmountMatch; li: LineInfo } | null {
  const li = lines[i]!;
  const after = li.amounts.filter((a) => a.start >= labelEnd && !li.dates.some((d) => a.start < d.end && a.end > d.start));
  const pick = after.filter((a) => a.explicit).pop() ?? after.pop();
  if (pick) return { a: pick, li };
  const next = lines[i + 1];
  if (next && !next.labels.length) {
    const a = next.amounts.filter((x) => x.explicit).pop();
    if (a) return { a, li: next };
  }
  return null;
}

function idAfter(li: LineInfo, labelEnd: number): { value: string; start: number; end: number } | null {
  const rest = li.j.text.slice(labelEnd);
  const m = rest.match(/^[\s:：#.№]*(?:no\.?\s*)?((?:[A-Za-z]{0,6}[-/]?)?[0-9][0-9A-Za-z]*(?:[- /][0-9A-Za-z]*[0-9][0-9A-Za-z]*)*)/i);
  if (!m) return null;
  const value = m[1]!.trim();
  if (value.replace(/\D/g, '').length < 3) return null;
  const start = labelEnd + m[0].length - m[1]!.length;
  return { value, start, end: start + m[1]!.length };
}

/** A line's text cut at a wide gap ("Riverside Power & Light        Electricity bill" is two things), registration numbers dropped. */
function vendorText(li: LineInfo): { text: string; words: OcrLine['words']; h: number } {
  const ws = li.j.words;
  const h = Math.max(1, ...ws.map((w) => w.box.h));
  let endWord = ws.length;
  for (let k = 1; k < ws.length; k++) {
    if (ws[k]!.box.x - (ws[k - 1]!.box.x + ws[k - 1]!.box.w) > 2.2 * h) { endWord = k; break; }
  }
  const words = li.j.line.words.slice(0, endWord);
  const seg = joinLine({ ...li.j.line, words }, li.j.index);
  const text = seg.text
    // "(519537-X)", "(Co. No:20154-T)", "(1120908-M)": the company's registration, not its name.
    .replace(/\s*[(（][^)）]*\d[^)）]*(?:[)）]|$)/g, ' ')
    .replace(/[|_~`"'.,:;*]+$/g, '').replace(/^[|_~`"'.,:;*\s]+/, '').replace(/\s+/g, ' ').trim();
  return { text, words, h };
}

function pickVendor(lines: LineInfo[], page: OcrPage): Field<string> | undefined {
  const top = lines.filter((li) => li.j.line.box.y < page.height * 0.35 || li.j.index < 4).slice(0, 8);
  const hs = top.map((li) => Math.max(1, ...li.j.words.map((w) => w.box.h))).sort((a, b) => a - b);
  const medH = hs.length ? hs[hs.length >> 1]! : 1;
  const usable = (li: LineInfo) => {
    const v = vendorText(li);
    const letters = (v.text.match(/[A-Za-z\u3040-\u30ff\u4e00-\u9fff]/g) ?? []).length;
    if (letters < 3 || letters < v.text.replace(/\s/g, '').length * 0.5) return null;
    // A handwritten mark read as a short lower-case word is not the business.
    if (letters <= 4 && v.text === v.text.toLowerCase() && /[a-z]/.test(v.text)) return null;
    if (li.labels.some((l) => l.kind !== 'tender') || li.dates.length || li.amounts.some((a) => a.explicit)) return null;
    if (NOT_VENDOR.test(v.text) || ADDRESS.test(v.text)) return null;
    const conf = v.words.reduce((a, w) => a + w.confidence, 0) / Math.max(1, v.words.length);
    if (conf < 0.5) return null;
    return { ...v, conf };
  };
  let best: { score: number; li: LineInfo; text: string; words: OcrLine['words']; conf: number; legal: boolean } | null = null;
  top.forEach((li, k) => {
    const v = usable(li);
    if (!v) return;
    const legal = LEGAL_FORM.test(v.text);
    // Size matters, but a name in the same print as the rest is still the name: sqrt of the relative height.
    const score = Math.sqrt(v.h / medH) * (legal ? 2 : COMPANY.test(v.text) ? 1.4 : 1) * (1 - k * 0.1) * v.conf;
    if (!best || score > best.score) best = { score, li, text: v.text, words: v.words, conf: v.conf, legal };
  });
  if (!best) return undefined;
  const b = best as { score: number; li: LineInfo; text: string; words: OcrLine['words']; conf: number; legal: boolean };
  let text = b.text;
  let words = b.words;
  const at = lines.indexOf(b.li);
  // A name on two lines: "POPULAR BOOK" / "CO. (M) SDN BHD", "RESTAURANT JIAWEI" / "JIAWEI HOUSE".
  const prev = at > 0 ? lines[at - 1] : undefined;
  const next = lines[at + 1];
  const pv = prev ? usable(prev) : null;
  if (pv && /^(?:co\b|company\b|[(（]|sdn\b|s\/b\b|bhd\b)/i.test(text) && !LEGAL_FORM.test(pv.text)) { text = `${pv.text} ${text}`; words = [...pv.words, ...words]; }
  else if (!b.legal && next) {
    const nv = usable(next);
    const caps = nv && nv.text === nv.text.toUpperCase() && !/\d/.test(nv.text) && nv.text.split(' ').length <= 4 && text === text.toUpperCase();
    // The registered name right under a shop's sign ("GHEE HIANG" / "GH DISTRIBUTOR & MARKETING SDN BHD") is the vendor.
    if (nv && LEGAL_FORM.test(nv.text) && !/^(?:co\b|company\b|[(（]|sdn\b|s\/b\b|bhd\b)/i.test(nv.text)) { text = nv.text; words = nv.words; }
    else if (nv && (LEGAL_FORM.test(nv.text) || caps) && nv.h >= 0.7 * Math.max(1, ...b.words.map((w) => w.box.h))) { text = `${text} ${nv.text}`; words = [...words, ...nv.words]; }
  }
  const legal = LEGAL_FORM.test(text) || COMPANY.test(text);
  return field(text, b.conf * (legal ? 0.95 : 0.75), unionBox(words.map((w) => w.box)), 'top of page');
}

export interface ExtractOptions { lang?: string; masked?: string[] }

export function extractBill(page: OcrPage, opts: ExtractOptions = {}): BillFields {
  const texts = page.lines.map((l) => joinLine(l, 0).text);
  const cur = detectCurrency(texts, opts.lang ?? page.lang);
  const currency = cur?.code;
  const orderInfo = inferDateOrder(texts, currency);
  const lines = analyse(page.lines, currency, orderInfo.order);
  const out: BillFields = { lineItems: [], maskedNumbers: opts.masked ?? [] };
  if (cur) {
    const where = lines.find((li) => /[$£€¥円₹₩]|\b(USD|EUR|GBP|JPY|AUD|CAD)\b/.test(li.j.text));
    out.currency = field(cur.code, cur.confidence, where ? where.j.line.box : null, 'currency symbols and codes');
  }
  const dateConf = (d: DateMatch, li: LineInfo) => confOf(li.j, d.start, d.end) * (d.ambiguous && !orderInfo.certain ? 0.75 : 0.97);

  // Identifiers.
  for (const [kind, key] of [['account', 'accountNumber'], ['invoice', 'invoiceNumber']] as const) {
    for (let i = 0; i < lines.length && !out[key]; i++) {
      const lab = has(lines[i]!, kind);
      if (!lab) continue;
      let id = idAfter(lines[i]!, lab.end);
      let li = lines[i]!;
      if (!id && lines[i + 1]) { li = lines[i + 1]!; id = idAfter(li, 0); }
      if (id) out[key] = field(id.value, confOf(li.j, id.start, id.end) * 0.97, boxOf(li.j, id.start, id.end), lines[i]!.j.text.slice(lab.start, lab.end));
    }
  }

  // Dates: period, due, issue — a date already used by one is not reused by another.
  const used = new Set<string>();
  const dateKey = (li: LineInfo, d: DateMatch) => `${li.j.index}:${d.start}`;
  for (let i = 0; i < lines.length; i++) {
    const li = lines[i]!;
    const lab = has(li, 'period');
    if (!lab || out.periodStart) continue;
    let ds = li.dates.filter((d) => d.start >= lab.end);
    let src = li;
    if (ds.length < 2 && lines[i + 1]) { const n = lines[i + 1]!; if (n.dates.length >= 2) { ds = n.dates; src = n; } }
    if (ds.length >= 2) {
      const [a, b] = ds as [DateMatch, DateMatch];
      out.periodStart = field(a.iso, dateConf(a, src), boxOf(src.j, a.start, a.end), li.j.text.slice(lab.start, lab.end));
      out.periodEnd = field(b.iso, dateConf(b, src), boxOf(src.j, b.start, b.end), li.j.text.slice(lab.start, lab.end));
      used.add(dateKey(src, a)); used.add(dateKey(src, b));
    }
  }
  for (const [kind, key] of [['due', 'dueDate'], ['issue', 'date']] as const) {
    for (let i = 0; i < lines.length && !out[key]; i++) {
      const li = lines[i]!;
      const lab = has(li, kind);
      if (!lab || (kind === 'issue' && (has(li, 'due') || has(li, 'period')))) continue;
      let d = li.dates.find((x) => x.start >= lab.end && !used.has(dateKey(li, x)));
      let src = li;
      if (!d && lines[i + 1] && !lines[i + 1]!.labels.length) { src = lines[i + 1]!; d = src.dates.find((x) => !used.has(dateKey(src, x))); }
      if (d) {
        out[key] = field(d.iso, dateConf(d, src), boxOf(src.j, d.start, d.end), li.j.text.slice(lab.start, lab.end));
        used.add(dateKey(src, d));
      }
    }
  }
  if (!out.date) {
    // Receipts: the first date printed on the page that is not a due date or period.
    for (const li of lines) {
      const d = li.dates.find((x) => !used.has(dateKey(li, x)));
      if (d) { out.date = field(d.iso, dateConf(d, li) * 0.85, boxOf(li.j, d.start, d.end), 'first date on the page'); used.add(dateKey(li, d)); break; }
    }
  }

  // Money: total (strong labels first), subtotal, tax.
  type Cand = { value: number; conf: number; box: Box | null; line: number; digits: string; digitsPrinted: string; source: string };
  const money = (kind: LabelKind, exclude: LabelKind[]): Cand[] => {
    const cands: Cand[] = [];
    lines.forEach((li, i) => {
      const lab = has(li, kind);
      if (!lab || exclude.some((k) => has(li, k))) return;
      const r = amountFor(lines, i, lab.end);
      if (!r) return;
      const c = confOf(r.li.j, r.a.start, r.a.end) * (r.a.explicit ? 0.97 : 0.8) * (r.a.currency && currency && r.a.currency !== currency ? 0.7 : 1);
      cands.push({ value: r.a.value, conf: c, box: boxOf(r.li.j, r.a.start, r.a.end), line: r.li.j.index, digits: r.a.digits, digitsPrinted: r.li.j.text.slice(r.a.start, r.a.end).replace(/\s/g, ''), source: li.j.text.slice(lab.start, lab.end) });
    });
    return cands;
  };
  const strong = money('totalStrong', ['subtotal']);
  const plain = money('total', ['subtotal', 'totalStrong', 'tender']);
  const subs = money('subtotal', []);
  const taxes = money('tax', ['total', 'totalStrong', 'subtotal']);
  // "Accepted total 10.00" is what was handed over, not the total.
  const tenders = money('tender', ['subtotal', 'change']);
  const changes = money('change', ['total', 'totalStrong', 'subtotal']);
  const byValue = (cs: Cand[]) => [...cs].sort((a, b) => b.value - a.value || b.conf - a.conf)[0];
  // A printed amount beats a number that lost its decimal point ("TOTAL 5 1160" in a quantity column).
  const explicitFirst = (cs: Cand[]) => { const e = cs.filter((c) => /[.,]\d{2}$/.test(c.digitsPrinted)); return e.length ? e : cs; };
  let cands = explicitFirst(strong.length ? strong : plain);
  // The last total block: after a rounding adjustment the rounded total is what was paid.
  const roundLine = lines.findIndex((li) => has(li, 'rounding') && !has(li, 'total') && !has(li, 'totalStrong'));
  const rounded = cands.filter((c) => /round/i.test(c.source + ' ' + (lines[c.line]?.j.text ?? '')) || (roundLine >= 0 && c.line > roundLine));
  // Cash handed over minus change given: the amount paid, when both are printed.
  const tender = tenders.length ? tenders[tenders.length - 1] : undefined;
  const change = changes.length ? changes[changes.length - 1] : undefined;
  const paid = tender && change && tender.value > change.value ? round2(tender.value - change.value) : undefined;
  let total: Cand | undefined;
  const eqPaid = paid !== undefined ? cands.filter((c) => sameMoney(c.value, paid, currency)) : [];
  // The amount paid printed elsewhere on the page (a rounded line, an amount column) backs it as the total.
  const paidPrinted = paid !== undefined && !eqPaid.length ? lines.find((li) => li.j.index !== tender!.line && li.j.index !== change!.line && li.amounts.some((a) => a.explicit && sameMoney(a.value, paid, currency))) : undefined;
  if (eqPaid.length) total = { ...eqPaid[eqPaid.length - 1]!, conf: Math.max(eqPaid[eqPaid.length - 1]!.conf, 0.95) };
  else if (paidPrinted) {
    const a = paidPrinted.amounts.find((x) => x.explicit && sameMoney(x.value, paid!, currency))!;
    total = { value: paid!, conf: 0.85, box: boxOf(paidPrinted.j, a.start, a.end), line: paidPrinted.j.index, digits: a.digits, digitsPrinted: paidPrinted.j.text.slice(a.start, a.end), source: 'tendered − change, printed' };
  } else if (rounded.length) total = rounded[rounded.length - 1];
  else total = byValue(cands);
  if (!total && paid !== undefined) total = { value: paid, conf: 0.6, box: unionBox([tender!.box, change!.box]), line: change!.line, digits: '', digitsPrinted: '', source: 'tendered − change' };
  let subtotal = subs[0];
  let tax = taxes.length ? taxes.reduce((a, b) => (b.conf > a.conf ? b : a)) : undefined;
  if (!total && subtotal && !tax) total = { ...subtotal, conf: subtotal.conf * 0.6, source: `${subtotal.source} (no total printed)` };
  if (!total && tender && !change) total = { ...tender, conf: tender.conf * 0.5, source: `${tender.source} (no total printed)` };
  if (!total) {
    // No label read: the largest explicit amount in the lower half of the page.
    const lower = lines.filter((li) => li.j.line.box.y > page.height * 0.4);
    const all = lower.flatMap((li) => li.amounts.filter((a) => a.explicit).map((a) => ({ a, li })));
    const best = all.sort((x, y) => y.a.value - x.a.value)[0];
    if (best) total = { value: best.a.value, conf: confOf(best.li.j, best.a.start, best.a.end) * 0.5, box: boxOf(best.li.j, best.a.start, best.a.end), line: best.li.j.index, digits: best.a.digits, digitsPrinted: best.li.j.text.slice(best.a.start, best.a.end), source: 'largest amount' };
  }

  // Line items: amount lines above the first subtotal/tax/total line and below the header labels.
  const firstSum = Math.min(...[subtotal, tax, total, ...strong, ...plain].filter((c): c is Cand => !!c).map((c) => c.line), lines.length);
  const headerEnd = Math.max(-1, ...lines.filter((li) => li.labels.some((l) => ['account', 'invoice', 'period', 'issue', 'due'].includes(l.kind))).map((li) => li.j.index).filter((i) => i < firstSum));
  const items: LineItem[] = [];
  for (const li of lines.slice(headerEnd + 1, firstSum)) {
    if (li.labels.length || li.dates.length) continue;
    const a = li.amounts.filter((x) => x.explicit).pop();
    if (!a) continue;
    const desc = li.j.text.slice(0, a.start).replace(/[\s.:·…_|-]+$/, '').trim();
    if ((desc.match(/[A-Za-z\u3040-\u30ff\u4e00-\u9fff]/g) ?? []).length < 2) continue;
    items.push({ description: desc, amount: a.value, confidence: Number((confOf(li.j, 0, a.end) * 0.9).toFixed(3)), box: boxOf(li.j, 0, a.end) });
  }

  // Cross-checks and repairs.
  const eq = (a: number, b: number) => sameMoney(a, b, currency);
  const scale = 10 ** currencyDigits(currency);
  const digitsMatch = (c: Cand | undefined, v: number) => !!c && c.digits.replace(/^0+/, '') === String(Math.round(Math.abs(v) * scale)).replace(/^0+/, '');
  const itemSum = round2(items.reduce((s, i) => s + i.amount, 0));
  if (total && subtotal && tax && !eq(subtotal.value + tax.value, total.value)) {
    // One of the three is wrong; repair the one whose printed digits fit the other two.
    if (digitsMatch(tax, total.value - subtotal.value)) tax = { ...tax, value: round2(total.value - subtotal.value), conf: tax.conf * 0.9 };
    else if (digitsMatch(subtotal, total.value - tax.value)) subtotal = { ...subtotal, value: round2(total.value - tax.value), conf: subtotal.conf * 0.9 };
    else if (digitsMatch(total, subtotal.value + tax.value)) total = { ...total, value: round2(subtotal.value + tax.value), conf: total.conf * 0.9 };
    else if (items.length && eq(itemSum, subtotal.value)) { /* subtotal is backed by items: keep it, lower the others */ total = { ...total, conf: total.conf * 0.7 }; }
    else if (items.length && eq(itemSum + tax.value, total.value)) subtotal = { ...subtotal, value: itemSum, conf: 0.6 };
  }
  if (total && !subtotal && tax && items.length && eq(itemSum + tax.value, total.value)) {
    subtotal = { value: itemSum, conf: 0.6, box: unionBox(items.map((i) => i.box)), line: -1, digits: '', digitsPrinted: '', source: 'sum of line items' };
  }
  if (!total && subtotal && tax) {
    total = { value: round2(subtotal.value + tax.value), conf: 0.55, box: unionBox([subtotal.box, tax.box]), line: -1, digits: '', digitsPrinted: '', source: 'subtotal + tax' };
  }
  const consistent = total && subtotal && tax && eq(subtotal.value + tax.value, total.value);
  const boost = (c: Cand) => (consistent ? Math.max(c.conf, 0.97) : c.conf);
  if (total) out.total = field(total.value, boost(total), total.box, total.source);
  if (subtotal) out.subtotal = field(subtotal.value, boost(subtotal), subtotal.box, subtotal.source);
  if (tax) out.tax = field(tax.value, boost(tax), tax.box, tax.source);
  out.lineItems = items;
  const vendor = pickVendor(lines, page);
  if (vendor) out.vendor = vendor;
  return out;
}

/** The flat shape the CLI prints: values only, plus confidences alongside. */
export function flatFields(f: BillFields): Record<string, string | number | null> {
  const keys = ['vendor', 'accountNumber', 'invoiceNumber', 'date', 'dueDate', 'periodStart', 'periodEnd', 'subtotal', 'tax', 'total', 'currency'] as const;
  const flat: Record<string, string | number | null> = {};
  for (const k of keys) flat[k] = f[k]?.value ?? null;
  return flat;
}
