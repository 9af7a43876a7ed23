/** Typed `error` frames to clients: each counted by code (stats and the signaling_errors_total metric). */
import type { ErrorCode, ServerMessage } from '../protocol/index';
import type { SignalingMetrics } from '../metrics';
import { sendFrame, type Conn } from './socket';

export class ErrorReplies {
  private readonly counts: Partial<Record<ErrorCode, number>> = {};

  constructor(private readonly metrics: SignalingMetrics) {}

  /** Count an error sent some other way (a socket refused at the door). */
  count(code: ErrorCode): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    this.metrics.errors.inc({ code });
  }

  send(conn: Conn, code: ErrorCode, message: string, reqId?: string, retryAfterMs?: number): void {
    this.count(code);
    const msg: ServerMessage = { type: 'error', code, message };
    if (reqId !== undefined) msg.reqId = reqId;
    if (retryAfterMs !== undefined) msg.retryAfterMs = retryAfterMs;
    sendFrame(conn, msg);
  }

  /** A copy of the counts so far. */
  snapshot(): Partial<Record<ErrorCode, number>> {
    return { ...this.counts };
  }
}
