/**
 * A fixture event log with exact, hand-counted figures (docs/KPIS.md works
 * through the same numbers). Days are counted from D0 = 2026-11-02 (UTC).
 *
 *  contact  agent  day   category  customer  outcome              FCR (7 d)   notes
 *  A:1      a1     D0    billing   K1        resolved_remote      no          repeat B:1 3 days later
 *  B:1      b1     D0+3  billing   K1,K1acct resolved_remote      yes         next (A:2, by account) 8 days later: outside
 *  A:2      a1     D0+11 billing   K1acct    resolved_remote      yes         two segments: a1 then a2 (warm transfer)
 *  A:3      a1     D0    internet  K2        resolved_remote      no          dispatch candidate; B:2 dispatched 5 days later
 *  B:2      b1     D0+5  internet  K2        technician_dispatch  no
 *  A:4      a1     D0+1  internet  K3        resolved_remote      yes         dispatch candidate, avoided
 *  A:5      a2     D0+1  internet  K4        escalated_fraud      no          dispatch candidate, not remote
 *  A:6      a2     D0+2  billing   K5        (open)               -
 *  A:7      a1     D0+20 billing   K6        resolved_remote      no          B:3 2 days later, delivered BEFORE A:7
 *  B:3      b1     D0+22 billing   K6        resolved_remote      yes
 *  A:8      a1     D0+1  billing   K2        resolved_remote      yes         same customer as A:3, other category
 */
import type { Delivery } from '../../../signaling-server/reporting/types';

export const D0 = Date.UTC(2026, 10, 2);
export const DAY = 86_400_000;
export const H = 3_600_000;
const key = (c: string) => c.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a');
export const K = { K1: key('1'), K1acct: key('1acc'), K2: key('2'), K3: key('3'), K4: key('4'), K5: key('5'), K6: key('6') };

class Desk {
  private seq = 0;
  constructor(readonly installId: string) {}
  ev(caseId: number, agentId: string, at: number, type: string, body: Record<string, unknown>, customerKeys?: string[]): Delivery {
    const seq = ++this.seq;
    return { idempotencyKey: `${this.installId}:${seq}`, installId: this.installId, seq, caseId, customerId: 1, type, at, agentId, body, ...(customerKeys ? { customerKeys } : {}) };
  }
}

export function fixtureLog(): { events: Delivery[], lateFirst: Delivery[] } {
  const A = new Desk('instA');
  const B = new Desk('instB');
  const events: Delivery[] = [];
  const push = (...e: Delivery[]) => events.push(...e);
  const open = (d: Desk, c: number, agent: string, at: number, category: string, keys: string[]) => d.ev(c, agent, at, 'case_opened', { subject: 'x', category }, keys);
  const seg = (d: Desk, c: number, agent: string, at: number, id: string, via: string, queue: string, talk: number, hold: number, acw: number) => [
    d.ev(c, agent, at, 'segment_started', { segmentId: id, via, queue }),
    d.ev(c, agent, at + (talk + hold + acw) * 1000, 'segment_ended', { segmentId: id, talkSec: talk, holdSec: hold, acwSec: acw }),
  ];
  const disp = (d: Desk, c: number, agent: string, at: number, outcome: string, dispatchCandidate?: boolean) =>
    d.ev(c, agent, at, 'disposition', { disposition: { outcome, summary: 's', ...(outcome === 'technician_dispatch' ? { partsAndTools: [{ item: 'router', qty: 1 }] } : {}), ...(dispatchCandidate ? { dispatchCandidate } : {}) } });
  const visual = (d: Desk, c: number, agent: string, at: number, firstFrameMs?: number, cause?: string) => [
    d.ev(c, agent, at, 'session_started', { sessionId: `s${c}`, media: 'camera' }),
    d.ev(c, agent, at + 60_000, 'session_ended', { sessionId: `s${c}`, reason: 'hangup', durationSec: 60, ...(firstFrameMs !== undefined ? { firstFrameMs } : { noFrameCause: cause }) }),
  ];
  const csat = (d: Desk, c: number, agent: string, at: number, score: number) => d.ev(c, agent, at, 'csat', { score });
  const credit = (d: Desk, c: number, agent: string, at: number, amountMinor: number, audited: boolean) =>
    d.ev(c, agent, at, 'credit', { amountMinor, currency: 'USD', reason: 'goodwill', state: 'granted', audited });

  // A:1
  let t = D0 + 10 * H;
  push(open(A, 1, 'a1', t, 'billing', [K.K1]), ...seg(A, 1, 'a1', t, 'A1s1', 'new', 'billing', 300, 60, 40), ...visual(A, 1, 'a1', t + 1000, 1200),
    credit(A, 1, 'a1', t + 2000, 500, false), disp(A, 1, 'a1', t + 400_000, 'resolved_remote'), csat(A, 1, 'a1', t + 500_000, 5));
  // B:1
  t = D0 + 3 * DAY + 10 * H;
  push(open(B, 1, 'b1', t, 'billing', [K.K1, K.K1acct]), ...seg(B, 1, 'b1', t, 'B1s1', 'new', 'billing', 200, 0, 100), ...visual(B, 1, 'b1', t + 1000, 2500),
    credit(B, 1, 'b1', t + 2000, 8000, true), disp(B, 1, 'b1', t + 300_000, 'resolved_remote'), csat(B, 1, 'b1', t + 400_000, 4));
  // A:2: two segments, a1 then a2 after a warm transfer
  t = D0 + 11 * DAY + 10 * H;
  push(open(A, 2, 'a1', t, 'billing', [K.K1acct]), ...seg(A, 2, 'a1', t, 'A2s1', 'new', 'billing', 120, 0, 0), ...visual(A, 2, 'a1', t + 1000, 800),
    ...seg(A, 2, 'a2', t + 120_000, 'A2s2', 'warm_transfer', 'billing', 240, 30, 30), credit(A, 2, 'a2', t + 200_000, 12000, true),
    disp(A, 2, 'a2', t + 420_000, 'resolved_remote'), csat(A, 2, 'a2', t + 500_000, 2));
  // A:3, B:2
  t = D0 + 12 * H;
  push(open(A, 3, 'a1', t, 'internet', [K.K2]), ...visual(A, 3, 'a1', t + 1000, 4000), disp(A, 3, 'a1', t + 600_000, 'resolved_remote', true), csat(A, 3, 'a1', t + 700_000, 5));
  t = D0 + 5 * DAY + 12 * H;
  push(open(B, 2, 'b1', t, 'internet', [K.K2]), disp(B, 2, 'b1', t + 600_000, 'technician_dispatch'));
  // A:4, A:5, A:6, A:8
  t = D0 + DAY + 9 * H;
  push(open(A, 4, 'a1', t, 'internet', [K.K3]), ...visual(A, 4, 'a1', t + 1000, undefined, 'consent_declined'), disp(A, 4, 'a1', t + 600_000, 'resolved_remote', true));
  push(open(A, 5, 'a2', t + H, 'internet', [K.K4]), disp(A, 5, 'a2', t + H + 600_000, 'escalated_fraud', true));
  push(open(A, 6, 'a2', D0 + 2 * DAY + 9 * H, 'billing', [K.K5]));
  push(open(A, 8, 'a1', t + 2 * H, 'billing', [K.K2]), disp(A, 8, 'a1', t + 2 * H + 60_000, 'resolved_remote'));
  // B:3 is delivered before A:7 although it came second
  const lateFirst = [open(B, 3, 'b1', D0 + 22 * DAY + 9 * H, 'billing', [K.K6]), disp(B, 3, 'b1', D0 + 22 * DAY + 9 * H + 60_000, 'resolved_remote')];
  push(...lateFirst);
  push(open(A, 7, 'a1', D0 + 20 * DAY + 9 * H, 'billing', [K.K6]), disp(A, 7, 'a1', D0 + 20 * DAY + 9 * H + 60_000, 'resolved_remote'));
  return { events, lateFirst };
}
