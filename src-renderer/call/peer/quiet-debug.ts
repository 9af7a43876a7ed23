/**
 * Stands in for the `debug` package that simple-peer imports (vite.config.ts aliases it here).
 * Both pages only ever ran it disabled, and its browser build still cost the customer page
 * ~16 ms of evaluation while the call was being set up. Our own peer logging goes through
 * console.info at the points that matter (restarts, recoveries).
 */
type Debugger = ((...args: unknown[]) => void) & { enabled: boolean; namespace: string; extend: (ns: string) => Debugger };

export default function debug(namespace: string): Debugger {
  const log = (() => {}) as Debugger;
  log.enabled = false;
  log.namespace = namespace;
  log.extend = (ns: string) => debug(`${namespace}:${ns}`);
  return log;
}
