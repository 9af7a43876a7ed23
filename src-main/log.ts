/**
 * A tiny structured logger for the main process and the web host. One line per
 * event (time, level, scope, message, optional JSON fields) so `npm start`
 * output stays greppable; tests pass a sink to capture lines instead of
 * printing them.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export interface LogRecord { time: string; level: LogLevel; scope: string; msg: string; fields?: Record<string, unknown> }
export type LogSink = (rec: LogRecord) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export const consoleSink: LogSink = (r) => {
  const extra = r.fields && Object.keys(r.fields).length ? ' ' + safeJson(r.fields) : '';
  const line = `${r.time} ${r.level.toUpperCase().padEnd(5)} [${r.scope}] ${r.msg}${extra}\n`;
  (r.level === 'error' || r.level === 'warn' ? process.stderr : process.stdout).write(line);
};

function safeJson(v: unknown): string {
  try { return JSON.stringify(v, (_k, x) => (x instanceof Error ? { name: x.name, message: x.message } : x)); } catch { return '"<unserialisable>"'; }
}

export function createLogger(opts: { scope?: string; level?: LogLevel; sink?: LogSink } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const sink = opts.sink ?? consoleSink;
  const make = (scope: string): Logger => {
    const emit = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return;
      sink({ time: new Date().toISOString(), level, scope, msg, ...(fields ? { fields } : {}) });
    };
    return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), child: (s) => make(`${scope}:${s}`) };
  };
  return make(opts.scope ?? 'main');
}

/** A logger that records into an array: for tests that assert something was logged. */
export function memoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return Object.assign(createLogger({ level: 'debug', sink: (r) => records.push(r) }), { records });
}
