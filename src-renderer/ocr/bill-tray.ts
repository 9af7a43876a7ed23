/**
 * The agent's bill-evidence tray for one call: UI state only. A still
 * arrives (camera, the customer's photo, or the frame-grab fallback) → one
 * 'ocr:readStill' call, in which main reads it, paints over any card number
 * in its pixels, stores it in the case (evidence + snapshot event), records
 * the reading and checks disputes across the tray's stills → the tray shows
 * what came back. Actions on findings call the case contract.
 */
import type { OcrLang, OcrResultT, FindingT } from '../../src-preload/contract/ocr';
import type { Output } from '../../src-preload/api';
import { call } from '../bridge/workstation';
import { durableWrite } from '../cases/durable-write';
import { casesStore, refresh } from '../cases/store';
import { createStore, type Store } from '../call/observable-store';
import type { AgentStill } from '../stills/agent-stills';
import { bytesToBase64 } from '../bytes/base64';

export interface StillEntry {
  /** `still.sha256` is how main, the case and the findings name it. */
  still: AgentStill;
  status: 'saving' | 'reading' | 'done' | 'error';
  result?: OcrResultT;
  error?: string;
  /** The failure's code, for a message in the agent's language where there is one. */
  errorCode?: string;
  savedToCase?: number;
  /** The still as the case stores it (card numbers covered) and how many were covered. */
  stored?: { sha256: string; cardsCovered: number };
  /** The agent's confirmations and corrections, by field. */
  reviews?: Record<string, { verdict: 'confirmed' | 'corrected'; value: string; state: 'busy' | 'done' | string }>;
}

export const REVIEW_FIELDS = ['vendor', 'accountNumber', 'invoiceNumber', 'date', 'dueDate', 'subtotal', 'tax', 'total', 'currency'] as const;
export type ReviewField = (typeof REVIEW_FIELDS)[number];

export interface OcrState {
  stills: StillEntry[];
  selected: string | null;
  findings: FindingT[];
  lang: OcrLang;
  actions: Record<string, 'busy' | 'done' | 'needs_approval' | string>;
}

export class BillTray {
  readonly store: Store<OcrState> = createStore<OcrState>({ stills: [], selected: null, findings: [], lang: 'eng', actions: {} });

  private update(id: string, patch: Partial<StillEntry>): void {
    this.store.set({ stills: this.store.get().stills.map((s) => (s.still.id === id ? { ...s, ...patch } : s)) });
  }

  private readShas(): string[] { return this.store.get().stills.filter((s) => s.result).map((s) => s.still.sha256); }

  setLang(lang: OcrLang): void { this.store.set({ lang }); void call('ocr:warm', { lang }); }
  select(id: string): void { this.store.set({ selected: id }); }
  /** The tray entry a finding's evidence names. */
  bySha(sha256: string): StillEntry | undefined { return this.store.get().stills.find((s) => s.still.sha256 === sha256); }

  async add(still: AgentStill): Promise<void> {
    if (this.store.get().stills.some((s) => s.still.id === still.id)) return;
    const { sha256 } = still;
    this.store.set({ stills: [...this.store.get().stills, { still, status: 'saving' }], selected: still.id });
    const b64 = await bytesToBase64(still.bytes);
    const caseId = casesStore.get().activeCaseId;
    this.update(still.id, { status: 'reading' });
    const lang = this.store.get().lang;
    const callStills = this.readShas();
    const caption = `still from ${still.source}${still.source === 'frame' ? ' (video frame fallback)' : ' (full resolution)'}`;
    // With a case, main reads the still, paints over any card number on it and only then stores it (evidence +
    // snapshot) and records the reading. Without a case the bytes go along once and nothing is stored.
    const r = caseId !== null
      // The still goes into the case: retried, and if it still fails the agent is told and can retry (durable-write.ts).
      ? await durableWrite('snapshot', caseId, () => call('ocr:readStill', { caseId, sha256, lang, callStills, imageBase64: b64, store: { mime: still.mime, width: still.width, height: still.height, caption } }),
        (v) => void this.landed(still, caseId, callStills, v))
      : await call('ocr:readStill', { caseId: null, sha256, lang, callStills, imageBase64: b64 });
    if (!r.ok) { this.update(still.id, { status: 'error', error: r.error.message, errorCode: r.error.code }); return; }
    await this.landed(still, caseId, callStills, r.value);
  }

  private async landed(still: AgentStill, caseId: number | null, callStills: string[], value: Output<'ocr:readStill'>): Promise<void> {
    const { sha256 } = still;
    const { reading, findings, savedToCase, stored } = value;
    this.update(still.id, { status: 'done', result: reading, ...(savedToCase !== null ? { savedToCase } : {}), ...(stored ? { stored } : {}) });
    // Another still finished while this one was read: its findings did not see it, so ask again over the whole tray.
    const asked = new Set([...callStills, sha256]);
    if (this.readShas().every((s) => asked.has(s))) this.store.set({ findings });
    else await this.recheck();
    if (caseId !== null) void refresh();
  }

  /**
   * The agent confirms what OCR read, or corrects it, with one click: kept in the case as an
   * ocr_field_review event naming the stored still (the data to learn from).
   */
  async review(stillId: string, field: ReviewField, read: string, value: string, confidence: number): Promise<void> {
    const entry = this.store.get().stills.find((s) => s.still.id === stillId);
    const caseId = casesStore.get().activeCaseId;
    if (!entry || caseId === null || entry.savedToCase !== caseId) return;
    const verdict = value.trim() === read ? 'confirmed' : 'corrected';
    const set = (state: string) => this.update(stillId, { reviews: { ...(this.store.get().stills.find((s) => s.still.id === stillId)?.reviews ?? {}), [field]: { verdict, value: value.trim(), state } } });
    set('busy');
    const r = await call('cases:appendEvent', { caseId, event: { type: 'ocr_field_review', snapshotSha256: entry.stored?.sha256 ?? entry.still.sha256, field, verdict, read: read.slice(0, 500), value: value.trim().slice(0, 500), confidence } });
    set(r.ok ? 'done' : r.error.message);
    if (r.ok) void refresh();
  }

  /** Dispute checks across every read still again (the case or its expected charge changed). */
  async recheck(): Promise<void> {
    const callStills = this.readShas();
    if (!callStills.length) { this.store.set({ findings: [] }); return; }
    const r = await call('ocr:checkDisputes', { caseId: casesStore.get().activeCaseId, callStills });
    if (r.ok) this.store.set({ findings: r.value });
  }

  async act(f: FindingT, action: 'note' | 'credit' | 'escalate', locale: 'en' | 'ja'): Promise<void> {
    const caseId = casesStore.get().activeCaseId;
    const key = `${f.id}:${action}`;
    if (caseId === null) { this.store.set({ actions: { ...this.store.get().actions, [key]: 'no_case' } }); return; }
    this.store.set({ actions: { ...this.store.get().actions, [key]: 'busy' } });
    const evidence = f.evidence.map((e) => e.stillSha256).join(', ');
    const text = `${f.say[locale]}\n[${f.kind}; evidence stills: ${evidence}]`;
    let outcome: string = 'done';
    if (action === 'note') {
      const r = await call('cases:addNote', { caseId, text });
      if (!r.ok) outcome = r.error.message;
    } else if (action === 'escalate') {
      const r = await call('cases:setDisposition', { caseId, disposition: { outcome: 'escalated_fraud', summary: text.slice(0, 2000) } });
      if (!r.ok) outcome = r.error.message;
    } else if (action === 'credit' && f.amountMinor && f.currency) {
      const r = await call('cases:issueCredit', { caseId, amountMinor: f.amountMinor, reason: f.say[locale].slice(0, 500) });
      outcome = r.ok ? (r.value.state === 'needs_approval' ? 'needs_approval' : 'done') : r.error.message;
    }
    this.store.set({ actions: { ...this.store.get().actions, [key]: outcome } });
    void refresh();
  }
}
