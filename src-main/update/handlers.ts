import type { HandlersOf } from '../router';
import type { UpdateService } from './service';

export function createUpdateHandlers(s: { update: UpdateService }): HandlersOf<'update:status' | 'update:check' | 'update:install'> {
  const view = () => ({ mode: s.update.plan.mode, status: s.update.status() });
  return {
    'update:status': () => view(),
    'update:check': async () => { await s.update.check(); return view(); },
    'update:install': () => { s.update.install(); return view(); },
  };
}
