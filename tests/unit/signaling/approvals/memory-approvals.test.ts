/** The memory approval store (one node) keeps the rules of approval-store.ts; it forgets outcomes after the retention. */
import { describe, expect, it } from 'vitest';
import { MemoryApprovalStore } from '../../../../signaling-server/approvals/memory-approvals';
import { approvalStoreContract, req, T0 } from './approval-store-contract';

describe('MemoryApprovalStore', () => {
  approvalStoreContract(async (opts) => new MemoryApprovalStore(opts));

  it('remembers an outcome for the retention, then the id is unknown', async () => {
    const s = new MemoryApprovalStore({ closedRetentionMs: 60_000 });
    const r = req('alice');
    await s.open(r, { maxOpenPerAgent: 5, maxOpen: 10 }, T0);
    expect(await s.take(r.requestId, 'declined', 'sam', T0 + 1)).toMatchObject({ ok: true });
    expect(await s.take(r.requestId, 'approved', 'eve', T0 + 60_000)).toMatchObject({ ok: false, reason: 'closed', closed: { outcome: 'declined', by: 'sam' } });
    await s.expireDue(T0 + 60_002);
    expect(await s.closed(r.requestId, T0 + 60_002)).toBeUndefined();
    expect(await s.take(r.requestId, 'approved', 'eve', T0 + 60_003)).toEqual({ ok: false, reason: 'not_found' });
  });
});
