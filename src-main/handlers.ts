/**
 * Every channel's handler, merged from the capabilities' handlers.ts.
 * To add a capability: one import and one spread line below.
 */
import type { Handlers } from './router';
import type { Services } from './services';
import { createAppHandlers } from './app/handlers';
import { createAudioHandlers } from './audio/handlers';
import { createCaseHandlers } from './cases/handlers';
import { createDiagnosticsHandlers } from './diagnostics/handlers';
import { createOcrHandlers } from './ocr/handlers';
import { createAuthHandlers } from './auth/handlers';
import { createApprovalHandlers } from './approvals/handlers';
import { createSettingsHandlers } from './settings/handlers';
import { createUpdateHandlers } from './update/handlers';


import { createHandoffHandlers } from './handoff/handlers';

export function createHandlers(s: Services): Handlers {
  return {
    ...createAppHandlers(s),
    ...createAuthHandlers(s),
    ...createApprovalHandlers(s),
    ...createAudioHandlers(s),
    ...createCaseHandlers(s),
    ...createDiagnosticsHandlers(s),
    ...createOcrHandlers(s),
    ...createSettingsHandlers(s),
    ...createUpdateHandlers(s),


    ...createHandoffHandlers(s),
  };
}
