import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src-main/config';
import { findElectronBinary } from '../../../src-main/electron-binary';

describe('workstation config', () => {
  it('has embedded defaults', () => {
    const c = loadConfig({}, {});
    expect(c).toMatchObject({ signalingUrl: 'http://127.0.0.1:7800', webHostPort: 7801, agentId: 'local-agent', locale: 'en' });
    expect(c.dataDir).toBe(join(homedir(), '.local', 'share', 'visual-assist-workstation'));
  });
  it('takes the data dir and other values from the environment', () => {
    const c = loadConfig({}, { VISUAL_ASSIST_DATA: '/tmp/va', VISUAL_ASSIST_LOCALE: 'ja', VISUAL_ASSIST_WEB_PORT: '0', VISUAL_ASSIST_SIGNALING_URL: 'https://sig.example' });
    expect(c).toMatchObject({ dataDir: '/tmp/va', locale: 'ja', webHostPort: 0, signalingUrl: 'https://sig.example' });
  });
  it('lets explicit overrides win over the environment', () => {
    expect(loadConfig({ dataDir: '/x' }, { VISUAL_ASSIST_DATA: '/tmp/va' }).dataDir).toBe('/x');
  });
  it('refuses bad values with a message naming each field', () => {
    expect(() => loadConfig({}, { VISUAL_ASSIST_WEB_PORT: 'abc', VISUAL_ASSIST_LOCALE: 'fr' })).toThrow(ConfigError);
    expect(() => loadConfig({ signalingUrl: 'ftp://x' }, { VISUAL_ASSIST_LOCALE: 'fr' })).toThrow(/signalingUrl.*locale|locale.*signalingUrl/);
    expect(() => loadConfig({ agentId: 'has spaces' }, {})).toThrow(/agentId/);
  });
});

describe('Electron binary lookup', () => {
  it('reports a precise reason instead of trying to download when the binary is missing', () => {
    const r = findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' });
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/^Electron binary not installed \(it downloads on first run; no internet here\)$/) });
  });
  it('reports a missing npm package', () => {
    expect(findElectronBinary({}, '/')).toEqual({ ok: false, reason: expect.stringMatching(/not installed/) });
  });
});
