/**
 * Run `fn` once the page has painted what it holds (the server's consent step), so no
 * script evaluation can hold that first paint back: a task after the next animation frame.
 * A hidden page paints nothing: it runs at once; a page whose frames are throttled runs
 * after `backstopMs` at the latest.
 */
export function afterFirstPaint(fn: () => void, backstopMs = 1000): void {
  let done = false;
  const run = () => { if (!done) { done = true; fn(); } };
  if (document.visibilityState === 'hidden' || typeof requestAnimationFrame !== 'function') { setTimeout(run, 0); return; }
  requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, backstopMs);
}
