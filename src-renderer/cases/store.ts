/**
 * The case panel's state, outside React so the app (and other capabilities)
 * can drive and read it: popByAni() from a screen pop, getActiveCaseId() for
 * "save to case" in the annotation and OCR panels.
 */
import { useSyncExternalStore } from 'react';
import type { Output } from '../../src-preload/api';
import type { ScreenPop } from '../../src-preload/contract/cases';
import { call } from '../bridge/workstation';
import { errorText } from './error-text';

export type PopSource = 'telephony' | 'context' | 'search';
export type CaseView = Output<'cases:get'>;

export interface CasesState {
  /** The contact being looked up (shown at once, before the answer arrives). */
  pending: { ani: string; source: PopSource } | null;
  pop: (ScreenPop & { source: PopSource; callId?: string }) | null;
  activeCaseId: number | null;
  view: CaseView | null;
  error: string | null;
}

let state: CasesState = { pending: null, pop: null, activeCaseId: null, view: null, error: null };
const listeners = new Set<() => void>();
let popToken = 0;

function set(patch: Partial<CasesState>): void {
  state = { ...state, ...patch };
  for (const fn of listeners) fn();
}

export const casesStore = {
  get: () => state,
  subscribe(fn: () => void) { listeners.add(fn); return () => { listeners.delete(fn); }; },
};

export function useCases(): CasesState {
  return useSyncExternalStore(casesStore.subscribe, casesStore.get, casesStore.get);
}

/** The case other panels should save into (null when none is open). */
export function getActiveCaseId(): number | null {
  return state.activeCaseId;
}

/**
 * A contact arrived with a caller number. Shows the number in the same frame
 * and the customer, open cases and history after one round trip to the cache.
 * A later pop wins over an earlier one still in flight.
 */
export async function popByAni(ani: string, source: PopSource, callId?: string): Promise<void> {
  const token = ++popToken;
  set({ pending: { ani, source }, error: null });
  const r = await call('cases:screenPop', { ani: ani.slice(0, 32) });
  if (token !== popToken) return;
  if (!r.ok) { set({ pending: null, error: errorText(r.error) }); return; }
  const pop = { ...r.value, source, ...(callId ? { callId } : {}) };
  const active = pop.kind === 'known' ? pop.openCases[0]?.id ?? null : null;
  set({ pending: null, pop, activeCaseId: active, view: null });
  if (active !== null) await openCase(active);
}

/** Load a case into the panel and make it the active one. */
export async function openCase(caseId: number): Promise<void> {
  const r = await call('cases:get', { caseId });
  if (!r.ok) { set({ error: errorText(r.error) }); return; }
  set({ activeCaseId: caseId, view: r.value, error: null });
}

/**
 * Events main writes on its own (a supervisor's verdict on a credit, the
 * customer's survey answer, from the reporting inbox) show up in the open
 * case: it is re-read every `ms` and replaced only when its newest event changed.
 */
export function watchActiveCase(ms = 5000): () => void {
  const timer = setInterval(() => {
    const { activeCaseId, view } = state;
    if (activeCaseId === null || !view) return;
    void call('cases:get', { caseId: activeCaseId }).then((r) => {
      if (!r.ok || state.activeCaseId !== activeCaseId) return;
      const newest = (v: CaseView | null) => (v && v.events.length ? Math.max(...v.events.map((e) => e.seq)) : 0);
      if (newest(r.value) !== newest(state.view)) set({ view: r.value });
    });
  }, ms);
  return () => clearInterval(timer);
}

/** Re-read the active case and the pop after a change. */
export async function refresh(): Promise<void> {
  const { activeCaseId, pop } = state;
  if (pop) {
    const r = await call('cases:screenPop', { ani: pop.ani });
    if (r.ok) set({ pop: { ...r.value, source: pop.source, ...(pop.callId ? { callId: pop.callId } : {}) } });
  }
  if (activeCaseId !== null) await openCase(activeCaseId);
}

export function setError(message: string | null): void { set({ error: message }); }

/** Tests and the close button. */
export function clearPop(): void { set({ pending: null, pop: null, activeCaseId: null, view: null, error: null }); }
