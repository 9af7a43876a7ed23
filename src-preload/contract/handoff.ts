import { z } from 'zod';
import { defineChannels } from './types';

const HandoffId = z.string().min(1).max(128).regex(/^[A-Za-z0-9_\-.:]+$/);

/**
 * Hand-offs (issue 13): the case travels with the customer. The sending
 * workstation attaches its case (a checked bundle: every event, the evidence
 * by sha256) to the hand-off on the signaling server; the receiving one
 * imports it as a local case and opens it. Errors: not_found (no such case,
 * or nothing attached yet), unavailable (the signaling server cannot be
 * reached), forbidden (not this agent's hand-off), conflict (already here),
 * bundle_tampered.
 */
export const handoffChannels = defineChannels({
  'handoff:shareCase': {
    input: z.object({ handoffId: HandoffId, caseId: z.number().int().positive() }).strict(),
    output: z.object({ bytes: z.number().int(), files: z.number().int() }),
  },
  'handoff:receiveCase': {
    input: z.object({ handoffId: HandoffId }).strict(),
    output: z.object({ caseId: z.number().int().positive(), events: z.number().int() }),
  },
});
export type HandoffChannel = keyof typeof handoffChannels;
