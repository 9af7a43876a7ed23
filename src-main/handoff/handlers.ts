import type { HandlersOf } from '../router';
import type { HandoffChannel } from '../../src-preload/contract/handoff';
import { CaseError } from '../cases/errors';
import { ApiFailure } from '../router';
import type { createCaseTransfer } from './case-transfer';

async function typed<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CaseError) throw new ApiFailure(err.code, err.message);
    throw err;
  }
}

export function createHandoffHandlers(s: { handoffCases: ReturnType<typeof createCaseTransfer> }): HandlersOf<HandoffChannel> {
  return {
    'handoff:shareCase': ({ handoffId, caseId }) => typed(() => s.handoffCases.share(handoffId, caseId)),
    'handoff:receiveCase': ({ handoffId }) => typed(() => s.handoffCases.receive(handoffId)),
  };
}
