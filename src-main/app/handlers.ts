import type { HandlersOf } from '../router';
import type { SessionConfigService } from './session-config';

export function createAppHandlers(s: { sessionConfig: SessionConfigService }): HandlersOf<'app:getSessionConfig'> {
  return {
    'app:getSessionConfig': (_input, ctx) => s.sessionConfig.get(ctx.host),
  };
}
