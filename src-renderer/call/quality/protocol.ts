/**
 * The 'quality' data-channel namespace. The customer's page (the sender, which owns the
 * encoder and runs the mode machine) tells the agent the mode and why; the agent's page
 * reports the freezes it sees and pins a mode or switches bill reading.
 */
import { z } from 'zod';
import { MODES } from './modes';

export const QUALITY_NS = 'quality';

const Mode = z.enum(MODES);
const REASONS = ['start', 'bandwidth', 'loss', 'rtt', 'freezes', 'cpu', 'recovered', 'probe_failed', 'pinned', 'unpinned', 'purpose'] as const;
const kbps = z.number().min(0).max(1e7).nullable();

export const QualityStatus = z.object({
  kind: z.literal('status'),
  mode: Mode,
  /** The mode the customer is told about (during a probe, the one it came from). */
  shown: Mode,
  reason: z.enum(REASONS),
  pinned: Mode.nullable(),
  advice: Mode,
  billReading: z.boolean(),
  availableKbps: kbps,
  lossPct: z.number().min(0).max(100).nullable(),
  rttMs: z.number().min(0).max(600_000).nullable(),
  limitation: z.enum(['none', 'bandwidth', 'cpu', 'other']).nullable(),
}).strict();
export type QualityStatus = z.infer<typeof QualityStatus>;

export const QualityMsg = z.union([
  QualityStatus,
  /** The agent's receiver report: freezes of the customer's video since the last report. */
  z.object({ kind: z.literal('rx'), freezes: z.number().int().min(0).max(1000) }).strict(),
  z.object({ kind: z.literal('pin'), mode: Mode.nullable() }).strict(),
  z.object({ kind: z.literal('purpose'), billReading: z.boolean() }).strict(),
]);
export type QualityMsg = z.infer<typeof QualityMsg>;
