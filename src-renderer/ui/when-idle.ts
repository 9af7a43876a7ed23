/**
 * Run `fn` at the page's next idle moment, at most `timeoutMs` later. Safari (every iPhone
 * customer) has no requestIdleCallback: there a plain timer stands in. Returns a cancel.
 */
export function whenIdle(fn: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(() => fn(), { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, Math.min(timeoutMs, 50));
  return () => clearTimeout(id);
}
