/**
 * A tiny observable state holder the call controllers publish through. Framework-free, so
 * the customer's page (plain DOM, no React) and the React pages share it; React reads it
 * with useStore (observable-store.ts).
 */
export interface Store<T> {
  get(): T;
  set(patch: Partial<T>): void;
  subscribe(fn: () => void): () => void;
}

export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  const fns = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      let changed = false;
      for (const k of Object.keys(patch) as (keyof T)[]) if (!Object.is(state[k], patch[k])) { changed = true; break; }
      if (!changed) return;
      state = { ...state, ...patch };
      for (const fn of fns) fn();
    },
    subscribe(fn) { fns.add(fn); return () => { fns.delete(fn); }; },
  };
}
