import { join } from 'node:path';
import { ApiFailure, type HandlersOf } from '../router';
import type { CaseServiceHandle } from '../cases/factory';
import type { LogRecord } from '../log';
import type { SettingsService } from '../settings/service';
import { collectDiagnostics } from './collect';

export interface DiagnosticsDeps {
  settings: SettingsService;
  cases: CaseServiceHandle;
  config: { dataDir: string };
  diagnostics: { appVersion: string; logs(): LogRecord[] };
}

export function createDiagnosticsHandlers(s: DiagnosticsDeps): HandlersOf<'diagnostics:collect'> {
  return {
    'diagnostics:collect': async (req) => {
      if (!s.settings.effective().get('diagnostics.enabled')) throw new ApiFailure('forbidden', 'collecting diagnostics is turned off by your organisation');
      return collectDiagnostics({
        appVersion: s.diagnostics.appVersion,
        runtimeVersions: process.versions,
        effective: () => s.settings.effective(),
        logs: () => s.diagnostics.logs(),
        integrity: () => s.cases.get().integrity(),
        recentSessions: () => s.cases.get().recentSessions(20),
        outDir: join(s.config.dataDir, 'diagnostics'),
      }, req);
    },
  };
}
