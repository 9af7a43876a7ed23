/** Row shapes of the case tables and their mapping to the contract's types. */
import type { CaseEventBody, CaseRecord, StoredEvent } from '../../../src-preload/contract/cases';

export interface CustomerRow { id: number; name: string; created_at: number }
export interface AccountRow { id: number; number: string; plan: string; expected_monthly_minor: number; currency: string }
export interface CaseRow { id: number; customer_id: number; account_id: number | null; subject: string; status: CaseRecord['status']; assigned_agent: string | null; opened_at: number; updated_at: number }
export interface EventRow { seq: number; case_id: number; customer_id: number; type: string; at: number; agent_id: string; body: string }
export interface AuditRow { id: number; event_seq: number; case_id: number; agent_id: string; amount_minor: number; currency: string; threshold_minor: number; approved_by: string | null; reason: string; at: number; case_total_minor: number | null; agent_day_total_minor: number | null; agent_day_threshold_minor: number | null; triggers: string | null; approval_grant_id: string | null; imported_from: string | null }
export interface HitRow { seq: number; case_id: number; customer_id: number; type: string; at: number; body: string; name: string; subject: string }

export const CASE_COLS = 'id, customer_id, account_id, subject, status, assigned_agent, opened_at, updated_at';
export const EVENT_COLS = 'seq, case_id, customer_id, type, at, agent_id, body';

export const toCase = (r: CaseRow): CaseRecord => ({
  id: r.id, customerId: r.customer_id, accountId: r.account_id, subject: r.subject, status: r.status,
  assignedAgent: r.assigned_agent, openedAt: r.opened_at, updatedAt: r.updated_at,
});

// Bodies were validated on the way in and events are immutable: parse, don't re-validate.
export const toEvent = (r: EventRow): StoredEvent => ({
  seq: r.seq, caseId: r.case_id, customerId: r.customer_id, at: r.at, agentId: r.agent_id, body: JSON.parse(r.body) as CaseEventBody,
});
