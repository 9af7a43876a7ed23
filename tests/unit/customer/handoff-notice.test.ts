/** The customer's hand-off notices: what each server notice shows and whether it pauses the customer's video. */
import { describe, expect, it } from 'vitest';
import { fromServerNotice, joinedNotice, technicianLeftNotice } from '../../../src-renderer/customer/handoff-notice';

describe('hand-off notices on the customer page', () => {
  it("a consult's hold pauses the video only when the server says so, and its end clears the notice", () => {
    expect(fromServerNotice({ type: 'notice', notice: 'hold', video: 'paused' })).toEqual({ notice: { kind: 'hold', video: 'paused' }, pausesVideo: true });
    expect(fromServerNotice({ type: 'notice', notice: 'hold' })).toEqual({ notice: { kind: 'hold', video: 'kept' }, pausesVideo: false });
    expect(fromServerNotice({ type: 'notice', notice: 'resumed' })).toEqual({ notice: null, pausesVideo: false });
  });

  it('a transfer names the next agent when the server gives a name, and never shows an empty one', () => {
    expect(fromServerNotice({ type: 'notice', notice: 'transferred', name: 'Bob' }).notice).toEqual({ kind: 'transferred', name: 'Bob' });
    expect(fromServerNotice({ type: 'notice', notice: 'transferred' }).notice).toEqual({ kind: 'transferred' });
    expect(fromServerNotice({ type: 'notice', notice: 'transfer_waiting' }).notice).toEqual({ kind: 'transfer_waiting' });
  });

  it('a technician removed by the agent shows as having left; joins carry the role', () => {
    expect(fromServerNotice({ type: 'notice', notice: 'guest_revoked', name: 'Tess' }).notice).toEqual({ kind: 'left', role: 'technician', name: 'Tess' });
    expect(technicianLeftNotice(undefined)).toEqual({ kind: 'left', role: 'technician' });
    expect(joinedNotice('agent', 'Bob')).toEqual({ kind: 'joined', role: 'agent', name: 'Bob' });
    expect(joinedNotice('technician', undefined)).toEqual({ kind: 'joined', role: 'technician' });
  });
});
