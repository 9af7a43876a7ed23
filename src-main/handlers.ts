/**
 * Every channel's handler, merged from the capabilities' handlers.ts.
 * To add a capability: one import and one spread line below.
 */
import type { Handlers } from './router';
import type { Services } from './services';
import { createAppHandlers } from './app/handlers';
import { createAudioHandlers } from './audio/handlers';
import { createCaseHandlers } from './cases/handlers';
import { createOcrHandlers } from './ocr/handlers';
import { createHandoffHandlers } from './handoff/handlers';

export function createHandlers(s: Services): Handlers {
  return {
    ...createAppHandlers(s),
    ...createAudioHandlers(s),
    ...createCaseHandlers(s),
    ...createOcrHandlers(s),
    ...createHandoffHandlers(s),
  };
}
