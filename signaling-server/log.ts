/**
 * Structured JSON logger: one JSON object per line, so log shippers (Loki,
 * Elastic, CloudWatch) index fields without parsing prose. No dependency.
 * Secrets never belong in fields; callers log ids and hashes, never tokens.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (default: process.stdout). Tests pass a collector. */
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
  now?: () => number;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const write = opts.write ?? ((line: string) => { process.stdout.write(line + '\n'); });
  const bindings = opts.bindings ?? {};
  const now = opts.now ?? Date.now;
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level]) return;
    const rec: Record<string, unknown> = { t: new Date(now()).toISOString(), level: lvl, msg, ...bindings };
    if (fields) for (const [k, v] of Object.entries(fields)) rec[k] = v instanceof Error ? { name: v.name, message: v.message } : v;
    let line: string;
    try { line = JSON.stringify(rec); } catch { line = JSON.stringify({ t: rec.t, level: lvl, msg, note: 'unserialisable fields dropped' }); }
    write(line);
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (b) => createLogger({ level, write, now, bindings: { ...bindings, ...b } }),
  };
}

/** A logger that drops everything (tests, benches). */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });
