import { sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installKind, type InstallProbes } from '../../../src-main/update/install-kind';
import { planUpdates } from '../../../src-main/update/plan';

describe('update plan', () => {
  it.each([
    { mode: 'none', perMachine: false, isAdmin: true, enabled: false, checkOnStart: false, autoDownload: false, autoInstallOnAppQuit: false, installBy: null },
    { mode: 'manual', perMachine: false, isAdmin: false, enabled: true, checkOnStart: false, autoDownload: false, autoInstallOnAppQuit: false, installBy: 'app' },
    { mode: 'default', perMachine: false, isAdmin: false, enabled: true, checkOnStart: true, autoDownload: true, autoInstallOnAppQuit: true, installBy: 'app' },
    { mode: 'default', perMachine: true, isAdmin: true, enabled: true, checkOnStart: true, autoDownload: true, autoInstallOnAppQuit: true, installBy: 'app' },
    { mode: 'default', perMachine: true, isAdmin: false, enabled: true, checkOnStart: true, autoDownload: false, autoInstallOnAppQuit: false, installBy: 'it' },
    { mode: 'manual', perMachine: true, isAdmin: false, enabled: true, checkOnStart: false, autoDownload: false, autoInstallOnAppQuit: false, installBy: 'it' },
  ] as const)('$mode, perMachine $perMachine, admin $isAdmin', (c) => {
    const p = planUpdates({ mode: c.mode, feedUrl: '', perMachine: c.perMachine, isAdmin: c.isAdmin });
    expect(p).toMatchObject({ enabled: c.enabled, checkOnStart: c.checkOnStart, autoDownload: c.autoDownload, autoInstallOnAppQuit: c.autoInstallOnAppQuit, installBy: c.installBy });
  });

  it('a corporate feed URL is set only when policy gives one, never for none', () => {
    expect(planUpdates({ mode: 'default', feedUrl: 'https://updates.corp.example/va/', perMachine: false, isAdmin: false }).feedUrl).toBe('https://updates.corp.example/va/');
    expect(planUpdates({ mode: 'default', feedUrl: '', perMachine: false, isAdmin: false }).feedUrl).toBeNull();
    expect(planUpdates({ mode: 'none', feedUrl: 'https://x.example/', perMachine: false, isAdmin: false }).feedUrl).toBeNull();
  });

  it('knows a per-machine Windows install and asks about elevation only then', () => {
    let asked = 0;
    const probes = (execPath: string, elevated: boolean): InstallProbes => ({
      platform: 'win32', execPath: execPath.split('\\').join(sep), env: { ProgramFiles: 'C:\\Program Files'.split('\\').join(sep) },
      writable: () => true, elevated: () => { asked++; return elevated; }, uid: () => null,
    });
    expect(installKind(probes('C:\\Program Files\\Visual Assist\\va.exe', false))).toEqual({ perMachine: true, isAdmin: false });
    expect(installKind(probes('C:\\Program Files\\Visual Assist\\va.exe', true))).toEqual({ perMachine: true, isAdmin: true });
    expect(asked).toBe(2);
    expect(installKind(probes('C:\\Users\\a\\AppData\\Local\\Programs\\va\\va.exe', false))).toEqual({ perMachine: false, isAdmin: true });
    expect(asked).toBe(2);
  });
});
