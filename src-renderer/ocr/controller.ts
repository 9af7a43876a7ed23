/**
 * The agent's bill-evidence flow for one call: stills arrive (camera, the
 * customer's photo, or the frame-grab fallback) → saved in the case as
 * content-addressed evidence + a snapshot event → OCR in the main process →
 * fields saved (ocr_result event + the full fields as JSON evidence) →
 * dispute checks across all stills of the call, against the customer's
 * expected monthly charge from the case cache. Actions call the case contract.
 */
import type { OcrLang, OcrResultT, FindingT } from '../../src-preload/contract/ocr';
import { call } from '../bridge/workstation';
import { casesStore, refresh } from '../cases/store';
import { createStore, type Store } from '../call/observable-store';
import type { AgentStill } from '../stills/agent-stills';
import { sha256Hex } from '../bytes/sha256';
import { bytesToBase64, textToBase64 } from '../bytes/base64';
import { encodeCanvas } from '../image/encode';

/**
 * OCR reads a copy scaled to at most this many pixels: a 12 MP phone photo
 * took 2-4x longer than the same bill at 3 MP with the same fields read
 * (docs/OCR.md). The stored evidence stays the full-resolution original; the
 * boxes are scaled back to its pixels.
 */
export const MAX_OCR_PIXELS = 3_200_000;

async function ocrCopy(still: AgentStill, b64: string): Promise<{ b64: string; scale: number }> {
  const px = still.width * still.height;
  if (px <= MAX_OCR_PIXELS) return { b64, scale: 1 };
  const scale = Math.sqrt(MAX_OCR_PIXELS / px);
  const w = Math.round(still.width * scale), h = Math.round(still.height * scale);
  const bmp = await createImageBitmap(new Blob([still.bytes as unknown as BlobPart], { type: still.mime }), { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  canvas.getContext('2d')!.drawImage(bmp, 0, 0);
  bmp.close();
  const copy = await encodeCanvas(canvas, 'image/jpeg', 0.95).catch(() => null);
  if (!copy) return { b64, scale: 1 };
  return { b64: await bytesToBase64(copy), scale };
}

type AnyBox = { x: number; y: number; w: number; h: number };
const up = (b: AnyBox | null | undefined, k: number): AnyBox | null => (b ? { x: Math.round(b.x * k), y: Math.round(b.y * k), w: Math.round(b.w * k), h: Math.round(b.h * k) } : null);

/** Boxes from the scaled OCR copy back to the original still's pixels. */
function scaleBack(r: OcrResultT, scale: number, still: AgentStill, sha256: string): OcrResultT {
  if (scale === 1) return { ...r, sha256 };
  const k = 1 / scale;
  const f = r.fields;
  const fields = { ...f, lineItems: f.lineItems.map((i) => ({ ...i, box: up(i.box, k) })) } as OcrResultT['fields'];
  for (const key of ['vendor', 'accountNumber', 'invoiceNumber', 'date', 'dueDate', 'periodStart', 'periodEnd', 'subtotal', 'tax', 'total', 'currency'] as const) {
    const v = f[key];
    if (v) (fields as Record<string, unknown>)[key] = { ...v, box: up(v.box, k) };
  }
  return {
    ...r, sha256, width: still.width, height: still.height, fields,
    lines: r.lines.map((l) => ({ ...l, box: up(l.box, k)!, words: l.words.map((w) => ({ ...w, box: up(w.box, k)! })) })),
  };
}

export interface StillEntry {
  still: AgentStill;
  status: 'saving' | 'reading' | 'done' | 'error';
  result?: OcrResultT;
  error?: string;
  /** sha256 of the still as stored in the case (content address). */
  evidenceSha256?: string;
  savedToCase?: number;
}

export interface OcrState {
  stills: StillEntry[];
  selected: string | null;
  findings: FindingT[];
  lang: OcrLang;
  actions: Record<string, 'busy' | 'done' | 'needs_approval' | string>;
}

const digitsOf = (c: string) => (c === 'JPY' || c === 'KRW' ? 0 : 2);
const toMinor = (v: number, c: string) => Math.round(v * 10 ** digitsOf(c));

export class OcrController {
  readonly store: Store<OcrState> = createStore<OcrState>({ stills: [], selected: null, findings: [], lang: 'eng', actions: {} });

  private update(id: string, patch: Partial<StillEntry>): void {
    this.store.set({ stills: this.store.get().stills.map((s) => (s.still.id === id ? { ...s, ...patch } : s)) });
  }

  setLang(lang: OcrLang): void { this.store.set({ lang }); void call('ocr:warm', { lang }); }
  select(id: string): void { this.store.set({ selected: id }); }

  async add(still: AgentStill): Promise<void> {
    if (this.store.get().stills.some((s) => s.still.id === still.id)) return;
    this.store.set({ stills: [...this.store.get().stills, { still, status: 'saving' }], selected: still.id });
    const b64 = await bytesToBase64(still.bytes);
    const caseId = casesStore.get().activeCaseId;
    if (caseId !== null) {
      const ev = await call('cases:putEvidence', { caseId, mime: still.mime, bytesBase64: b64 });
      if (ev.ok) {
        this.update(still.id, { evidenceSha256: ev.value.sha256 });
        await call('cases:appendEvent', { caseId, event: { type: 'snapshot', sha256: ev.value.sha256, mime: still.mime, width: still.width, height: still.height, caption: `still from ${still.source}${still.source === 'frame' ? ' (video frame fallback)' : ' (full resolution)'}` } });
      }
    }
    this.update(still.id, { status: 'reading' });
    const copy = await ocrCopy(still, b64);
    const r = await call('ocr:recognize', { imageBase64: copy.b64, lang: this.store.get().lang });
    if (!r.ok) { this.update(still.id, { status: 'error', error: r.error.message }); return; }
    const result = scaleBack(r.value, copy.scale, still, still.sha256 ?? await sha256Hex(still.bytes));
    this.update(still.id, { status: 'done', result });
    if (caseId !== null) await this.saveResult(caseId, still, result);
    await this.recheck();
  }

  private async saveResult(caseId: number, still: AgentStill, r: OcrResultT): Promise<void> {
    const f = r.fields;
    const cur = f.currency?.value;
    const amounts = cur && /^[A-Z]{3}$/.test(cur)
      ? (['total', 'subtotal', 'tax'] as const).flatMap((k) => (f[k] ? [{ label: k, amountMinor: toMinor(f[k]!.value, cur), currency: cur }] : []))
      : undefined;
    const doc = JSON.stringify({ kind: 'bill-fields', stillSha256: r.sha256, lang: r.lang, fields: f, lines: r.lines.map((l) => ({ text: l.text, box: l.box, confidence: l.confidence })) });
    await call('cases:putEvidence', { caseId, mime: 'application/json', bytesBase64: await textToBase64(doc) });
    const saved = await call('cases:appendEvent', { caseId, event: { type: 'ocr_result', snapshotSha256: r.sha256, lang: r.lang, text: r.text.slice(0, 50_000), confidence: Math.round(r.confidence * 100), ...(amounts ? { amounts } : {}) } });
    if (saved.ok) this.update(still.id, { savedToCase: caseId });
    void refresh();
  }

  /** Dispute checks across every read still, against the expected charge of the case's account. */
  async recheck(): Promise<void> {
    const bills = this.store.get().stills.filter((s) => s.result).map((s) => ({ stillId: s.still.id, fields: s.result!.fields }));
    if (!bills.length) { this.store.set({ findings: [] }); return; }
    const view = casesStore.get().view;
    const acct = view?.customer.accounts.find((a) => a.id === view.case.accountId) ?? view?.customer.accounts[0];
    const expected = acct ? { amount: acct.expectedMonthlyMinor / 10 ** digitsOf(acct.currency), currency: acct.currency, accountNumber: acct.number } : null;
    const r = await call('ocr:checkDisputes', { bills, expected });
    if (r.ok) this.store.set({ findings: r.value });
  }

  async act(f: FindingT, action: 'note' | 'credit' | 'escalate', locale: 'en' | 'ja'): Promise<void> {
    const caseId = casesStore.get().activeCaseId;
    const key = `${f.id}:${action}`;
    if (caseId === null) { this.store.set({ actions: { ...this.store.get().actions, [key]: 'no_case' } }); return; }
    this.store.set({ actions: { ...this.store.get().actions, [key]: 'busy' } });
    const evidence = f.evidence.map((e) => this.store.get().stills.find((s) => s.still.id === e.stillId)?.result?.sha256).filter(Boolean).join(', ');
    const text = `${f.say[locale]}\n[${f.kind}; evidence stills: ${evidence}]`;
    let outcome: string = 'done';
    if (action === 'note') {
      const r = await call('cases:addNote', { caseId, text });
      if (!r.ok) outcome = r.error.message;
    } else if (action === 'escalate') {
      const r = await call('cases:setDisposition', { caseId, disposition: { outcome: 'escalated_fraud', summary: text.slice(0, 2000) } });
      if (!r.ok) outcome = r.error.message;
    } else if (action === 'credit' && f.amount && f.currency) {
      const r = await call('cases:issueCredit', { caseId, amountMinor: toMinor(f.amount, f.currency), reason: f.say[locale].slice(0, 500) });
      outcome = r.ok ? (r.value.state === 'needs_approval' ? 'needs_approval' : 'done') : r.error.message;
    }
    this.store.set({ actions: { ...this.store.get().actions, [key]: outcome } });
    void refresh();
  }
}
