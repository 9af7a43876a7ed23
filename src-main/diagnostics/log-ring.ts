/** The last N log records in memory, for the diagnostics archive (the console keeps printing them too). */
import { consoleSink, type LogRecord, type LogSink } from '../log';

export interface LogRing { sink: LogSink; records(): LogRecord[] }

export function createLogRing(size = 2000, next: LogSink = consoleSink): LogRing {
  const buf: LogRecord[] = [];
  return {
    sink(r) {
      buf.push(r);
      if (buf.length > size) buf.splice(0, buf.length - size);
      next(r);
    },
    records: () => buf.slice(),
  };
}
