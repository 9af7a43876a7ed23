/**
 * The 'quality' data-channel namespace. The customer's page (the sender, which owns the
 * encoder and runs the mode machine) tells the agent the mode and why; the agent's page
 * reports the freezes it sees and pins a mode or switches bill reading.
 */
import { z } from '../../../signaling-server/protocol';
import { MODES } from './modes';

export const QUALITY_NS = 'quality';

const Mode = z.enum(MODES);
const REASONS = ['start', 'bandwidth', 'loss', 'rtt', 'freezes', 'cpu', 'recovered', 'probe_failed', 'pinned', 'unpinned', 'purpose'] as const;
const kbps = z.nullable(z.number().check(z.gte(0), z.lte(1e7)));

export const QualityStatus = z.strictObject({
  kind: z.literal('status'),
  mode: Mode,
  /** The mode the customer is told about (during a probe, the one it came from). */
  shown: Mode,
  reason: z.enum(REASONS),
  pinned: z.nullable(Mode),
  advice: Mode,
  billReading: z.boolean(),
  availableKbps: kbps,
  lossPct: z.nullable(z.number().check(z.gte(0), z.lte(100))),
  rttMs: z.nullable(z.number().check(z.gte(0), z.lte(600_000))),
  limitation: z.nullable(z.enum(['none', 'bandwidth', 'cpu', 'other'])),
});
export type QualityStatus = z.infer<typeof QualityStatus>;

export const QualityMsg = z.union([
  QualityStatus,
  /** The agent's receiver report: freezes of the customer's video since the last report. */
  z.strictObject({ kind: z.literal('rx'), freezes: z.number().check(z.int(), z.gte(0), z.lte(1000)) }),
  z.strictObject({ kind: z.literal('pin'), mode: z.nullable(Mode) }),
  z.strictObject({ kind: z.literal('purpose'), billReading: z.boolean() }),
]);
export type QualityMsg = z.infer<typeof QualityMsg>;
