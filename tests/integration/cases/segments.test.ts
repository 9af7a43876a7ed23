/**
 * Case segments (issue 13, migration 8): each agent's stretch of a case from
 * its segment_started / segment_ended events, kept in the write transaction,
 * travelling with the case bundle to the agent who takes it over.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseService } from '../../../src-main/cases/service';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
const open: CaseService[] = [];
afterEach(async () => { for (const s of open.splice(0)) await s.close(); });
let clock = 1_700_000_000_000;
const service = (agentId: string) => { const s = new CaseService({ dataDir: tmp(), agentId, now: () => clock }); open.push(s); return s; };
const codeOf = async (fn: () => Promise<unknown>) => { try { await fn(); } catch (e) { return (e as { code: string }).code; } return 'no error'; };

async function aliceCase() {
  const alice = service('alice');
  const cu = await alice.createCustomer({ name: 'Kim Tanaka', phones: ['+14155550123'] });
  const c = await alice.createCase({ customerId: cu.id, subject: 'Roaming fee' });
  return { alice, c };
}

describe('case segments', () => {
  it('a new call opens a segment for the writing agent; its end records talk, hold, wrap-up and outcome', async () => {
    const { alice, c } = await aliceCase();
    clock += 1000;
    await alice.appendEvent(c.id, { type: 'segment_started', segmentId: 'seg-alice-1', via: 'new' });
    expect(await alice.segments(c.id)).toEqual([expect.objectContaining({ segmentId: 'seg-alice-1', agentId: 'alice', via: 'new', previousSegmentId: null, startedAt: clock, endedAt: null })]);
    clock += 300_000;
    await alice.appendEvent(c.id, { type: 'segment_ended', segmentId: 'seg-alice-1', talkSec: 240, holdSec: 30, acwSec: 30, outcome: 'resolved_remote' });
    const [s] = await alice.segments(c.id);
    expect(s).toMatchObject({ endedAt: clock, talkSec: 240, holdSec: 30, acwSec: 30, outcome: 'resolved_remote' });
    // the timeline holds both events, written as alice
    const events = (await alice.getCase(c.id)).events.filter((e) => e.body.type.startsWith('segment_'));
    expect(events.map((e) => [e.body.type, e.agentId])).toEqual([['segment_ended', 'alice'], ['segment_started', 'alice']]);
  });

  it('refuses a second start of one id, an unknown previous segment, an end of an unknown or ended segment', async () => {
    const { alice, c } = await aliceCase();
    await alice.appendEvent(c.id, { type: 'segment_started', segmentId: 'seg-alice-1', via: 'new' });
    expect(await codeOf(() => alice.appendEvent(c.id, { type: 'segment_started', segmentId: 'seg-alice-1', via: 'new' }))).toBe('conflict');
    expect(await codeOf(() => alice.appendEvent(c.id, { type: 'segment_started', segmentId: 'seg-alice-2', previousSegmentId: 'seg-nobody-0', via: 'warm_transfer' }))).toBe('invalid_argument');
    expect(await codeOf(() => alice.appendEvent(c.id, { type: 'segment_ended', segmentId: 'seg-nobody-0', talkSec: 1, holdSec: 0, acwSec: 0 }))).toBe('not_found');
    await alice.appendEvent(c.id, { type: 'segment_ended', segmentId: 'seg-alice-1', talkSec: 1, holdSec: 0, acwSec: 0 });
    expect(await codeOf(() => alice.appendEvent(c.id, { type: 'segment_ended', segmentId: 'seg-alice-1', talkSec: 1, holdSec: 0, acwSec: 0 }))).toBe('conflict');
    // a refused write leaves nothing behind
    expect((await alice.segments(c.id)).length).toBe(1);
    expect((await alice.getCase(c.id)).events.filter((e) => e.body.type.startsWith('segment_')).length).toBe(2);
    // bad shapes never reach the database
    expect(await codeOf(() => alice.appendEvent(c.id, { type: 'segment_started', segmentId: 'x', via: 'new' }))).toBe('invalid_argument');
    expect(await codeOf(() => alice.appendEvent(c.id, { type: 'segment_ended', segmentId: 'seg-alice-3', talkSec: -1, holdSec: 0, acwSec: 0 } as never))).toBe('invalid_argument');
  });

  it('a warm transfer: Alice\'s segment travels in the bundle, Bob\'s follows it; only the segment\'s own agent ends it', async () => {
    const { alice, c } = await aliceCase();
    await alice.appendEvent(c.id, { type: 'segment_started', segmentId: 'seg-alice-1', via: 'new' });
    const out = await alice.exportBundle(c.id);
    const bob = service('bob');
    cpSync(join(alice.opts.dataDir, 'bundles', out.bundleName), join(bob.opts.dataDir, 'bundles', out.bundleName), { recursive: true });
    const { caseId } = await bob.importBundle(out.bundleName);
    clock += 5000;
    await bob.appendEvent(caseId, { type: 'segment_started', segmentId: 'seg-bob-1', previousSegmentId: 'seg-alice-1', via: 'warm_transfer' });
    const segs = await bob.segments(caseId);
    expect(segs.map((s) => [s.segmentId, s.agentId, s.via, s.previousSegmentId])).toEqual([
      ['seg-alice-1', 'alice', 'new', null],
      ['seg-bob-1', 'bob', 'warm_transfer', 'seg-alice-1'],
    ]);
    // Bob cannot close Alice's segment on her behalf; his own he can
    expect(await codeOf(() => bob.appendEvent(caseId, { type: 'segment_ended', segmentId: 'seg-alice-1', talkSec: 1, holdSec: 0, acwSec: 0 }))).toBe('forbidden');
    await bob.appendEvent(caseId, { type: 'segment_ended', segmentId: 'seg-bob-1', talkSec: 60, holdSec: 0, acwSec: 10, outcome: 'resolved_remote' });
    // Alice, on her own desk, closes hers (transferred away: no wrap-up)
    await alice.appendEvent(c.id, { type: 'segment_ended', segmentId: 'seg-alice-1', talkSec: 120, holdSec: 0, acwSec: 0 });
    expect((await alice.segments(c.id))[0]).toMatchObject({ agentId: 'alice', talkSec: 120, acwSec: 0 });
    expect((await bob.segments(caseId))[1]).toMatchObject({ agentId: 'bob', talkSec: 60, outcome: 'resolved_remote' });
    expect(await codeOf(() => bob.segments(99_999))).toBe('not_found');
  });
});
