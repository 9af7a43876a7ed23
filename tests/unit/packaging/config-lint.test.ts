/**
 * The packaging lint passes on our electron-builder.yml and catches each
 * known mistake when it is planted in a copy of it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUSE_NAMES, lintBuilderConfig, lintUpdateInfo } from '../../../scripts/lib/packaging-lint';

const root = join(__dirname, '..', '..', '..');
const config = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
const lint = (text: string, r = root) => lintBuilderConfig(text, r);
const paths = (text: string, r = root) => lint(text, r).map((i) => i.path);

describe('packaging config lint', () => {
  it('our electron-builder.yml is clean, with every fuse of @electron/fuses stated', () => {
    expect(lint(config)).toEqual([]);
    expect(FUSE_NAMES).toContain('enableEmbeddedAsarIntegrityValidation');
    expect(FUSE_NAMES.length).toBeGreaterThanOrEqual(8);
  });

  it('catches a fractional staging percentage, in the config and in a published latest.yml', () => {
    expect(paths(config.replace('publish:\n  provider: generic', 'publish:\n  stagingPercentage: 0.5\n  provider: generic'))).toEqual(['publish.stagingPercentage']);
    expect(lintUpdateInfo('version: 0.2.0\nstagingPercentage: 12.5\n')[0]!.message).toMatch(/whole number/);
    expect(lintUpdateInfo('version: 0.2.0\nstagingPercentage: 150\n')).toHaveLength(1);
    expect(lintUpdateInfo('version: 0.2.0\nstagingPercentage: 10\n')).toEqual([]);
  });

  it('catches missing camera/microphone entitlements and usage strings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    cpSync(join(root, 'assets'), join(dir, 'assets'), { recursive: true });
    const ent = join(dir, 'assets', 'build', 'entitlements.mac.plist');
    writeFileSync(ent, readFileSync(ent, 'utf8').replace(/<key>com.apple.security.device.camera<\/key>\s*<true\/>/, ''));
    writeFileSync(join(dir, 'assets', 'build', 'mac', 'ja.lproj', 'InfoPlist.strings'), '/* empty */\n');
    const found = paths(config, dir);
    expect(found).toEqual(expect.arrayContaining(['mac.entitlements: com.apple.security.device.camera', 'mac.entitlementsInherit: com.apple.security.device.camera', 'ja.lproj/InfoPlist.strings: NSCameraUsageDescription']));
    expect(paths(config.replace(/    NSMicrophoneUsageDescription: .*\n/, ''))).toEqual(['mac.extendInfo.NSMicrophoneUsageDescription']);
  });

  it('catches unresolved environment placeholders in signing options', () => {
    const bad = config.replace('    rfc3161TimeStampServer: http://timestamp.digicert.com', '    rfc3161TimeStampServer: http://timestamp.digicert.com\n    certificateSubjectName: ${env.WIN_CERT_SUBJECT}');
    expect(lint(bad)).toEqual([expect.objectContaining({ path: 'win.signtoolOptions.certificateSubjectName', message: expect.stringMatching(/\$\{env\.WIN_CERT_SUBJECT\}/) })]);
    expect(paths(config.replace('  hardenedRuntime: true', '  hardenedRuntime: true\n  identity: "%MAC_IDENTITY%"'))).toEqual(['mac.identity']);
  });

  it('catches an unstated fuse, ASAR integrity off and per-user installers', () => {
    expect(paths(config.replace(/  grantFileProtocolExtraPrivileges: false.*\n/, ''))).toEqual(['electronFuses.grantFileProtocolExtraPrivileges']);
    expect(paths(config.replace('enableEmbeddedAsarIntegrityValidation: true', 'enableEmbeddedAsarIntegrityValidation: false'))).toEqual(['electronFuses.enableEmbeddedAsarIntegrityValidation']);
    expect(paths(config.replace(/nsis:\n((?:  .*\n)*?)  perMachine: true/, 'nsis:\n$1  perMachine: false'))).toEqual(['nsis.perMachine']);
    expect(paths(config.replace('target: [nsis, msi]', 'target: [nsis]'))).toEqual(['win.target']);
  });
});
