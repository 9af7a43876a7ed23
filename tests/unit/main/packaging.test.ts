import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);

// electron-builder's own loader and schema validator (no packaging is run: that needs the Electron binary).
async function loadBuilderConfig(): Promise<Record<string, any>> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  const cfg = await getConfig(root, resolve(root, 'electron-builder.yml'), null);
  await validateConfiguration(cfg, new DebugLogger(false));
  return cfg;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(loadBuilderConfig()).resolves.toBeTruthy();
  });

  it('states every Electron fuse explicitly with the hardened value', async () => {
    const cfg = await loadBuilderConfig();
    expect(cfg.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('unpacks native modules, targets all three platforms, and uses the hardened runtime on macOS', async () => {
    const cfg = await loadBuilderConfig();
    expect(cfg.asarUnpack).toContain('**/*.node');
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.win.target).toEqual(['nsis', 'msi']);
    expect(cfg.mac).toMatchObject({ target: ['dmg', 'pkg'], hardenedRuntime: true, notarize: true });
    expect(existsSync(resolve(root, cfg.mac.entitlements))).toBe(true);
  });

  it('package.json main points at the bundled main process that build-electron writes', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist-electron/main.cjs');
    expect(readFileSync(resolve(root, 'scripts/build-electron.ts'), 'utf8')).toContain("'main.cjs'");
  });
});
