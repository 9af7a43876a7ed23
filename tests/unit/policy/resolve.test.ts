/**
 * The resolver's precedence over every source, table-driven. The Windows
 * registry and macOS managed preferences cannot exist on this Linux machine:
 * they are read through injected FAKE readers (an in-memory registry and an
 * in-memory plist store) that the real ones (`reg query`, `plutil`) stand in
 * for in production; parseRegQuery is tested on real `reg query` output text.
 * The Linux file, VISUAL_ASSIST_POLICY_FILE and the user's settings.json are
 * real files in a temp dir.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ID, MANIFEST, REGISTRY_PATH } from '../../../src-main/policy/manifest';
import { resolvePolicy } from '../../../src-main/policy/resolve';
import { loadEffectivePolicy, parseRegQuery, type ManagedPrefsReader, type RegHive, type RegistryReader, type RegistryValue } from '../../../src-main/policy/sources';

type Reg = Partial<Record<string, Record<string, RegistryValue>>>;
const fakeRegistry = (reg: Reg): RegistryReader => ({ readValues: (hive: RegHive, path: string) => reg[`${hive}\\${path}`] ?? null });
const fakePrefs = (files: Record<string, Record<string, unknown>>): ManagedPrefsReader => ({ read: (f) => files[f] ?? null });
const sz = (data: string): RegistryValue => ({ type: 'REG_SZ', data });
const dword = (data: number): RegistryValue => ({ type: 'REG_DWORD', data });

const HKLM = `HKLM\\${REGISTRY_PATH}`;
const HKCU = `HKCU\\${REGISTRY_PATH}`;
const MAC_MACHINE = `/Library/Managed Preferences/${BUNDLE_ID}.plist`;
const MAC_USER = `/Library/Managed Preferences/alice/${BUNDLE_ID}.plist`;

function tmp(): string { return mkdtempSync(join(tmpdir(), 'policy-resolve-')); }

interface Case {
  name: string;
  platform: NodeJS.Platform;
  reg?: Reg;
  mac?: Record<string, Record<string, unknown>>;
  linux?: Record<string, unknown>;
  envFile?: Record<string, unknown>;
  user?: Record<string, unknown>;
  key: keyof ReturnType<typeof loadEffectivePolicy>['settings'];
  value: unknown;
  source: string;
  origin: string | RegExp | null;
  enforced: boolean;
}

const CASES: Case[] = [
  // Windows: HKLM > HKCU > user > HKLM\Recommended > HKCU\Recommended > default
  { name: 'win: built-in default', platform: 'win32', reg: {}, key: 'update.mode', value: 'default', source: 'default', origin: null, enforced: false },
  { name: 'win: user setting over default', platform: 'win32', reg: {}, user: { 'update.mode': 'manual' }, key: 'update.mode', value: 'manual', source: 'user', origin: /settings\.json$/, enforced: false },
  { name: 'win: user over HKLM\\Recommended', platform: 'win32', reg: { [`${HKLM}\\Recommended`]: { UpdateMode: sz('none') } }, user: { 'update.mode': 'manual' }, key: 'update.mode', value: 'manual', source: 'user', origin: /settings\.json$/, enforced: false },
  { name: 'win: HKLM\\Recommended over default', platform: 'win32', reg: { [`${HKLM}\\Recommended`]: { UpdateMode: sz('none') } }, key: 'update.mode', value: 'none', source: 'recommended', origin: `${HKLM}\\Recommended`, enforced: false },
  { name: 'win: HKLM\\Recommended over HKCU\\Recommended', platform: 'win32', reg: { [`${HKLM}\\Recommended`]: { LogLevel: sz('warn') }, [`${HKCU}\\Recommended`]: { LogLevel: sz('debug') } }, key: 'log.level', value: 'warn', source: 'recommended', origin: `${HKLM}\\Recommended`, enforced: false },
  { name: 'win: HKCU policy over user and recommended', platform: 'win32', reg: { [HKCU]: { UpdateMode: sz('manual') }, [`${HKLM}\\Recommended`]: { UpdateMode: sz('default') } }, user: { 'update.mode': 'default' }, key: 'update.mode', value: 'manual', source: 'userPolicy', origin: HKCU, enforced: true },
  { name: 'win: HKLM policy over HKCU policy', platform: 'win32', reg: { [HKLM]: { UpdateMode: sz('none') }, [HKCU]: { UpdateMode: sz('manual') } }, key: 'update.mode', value: 'none', source: 'machine', origin: HKLM, enforced: true },
  { name: 'win: REG_DWORD 0 is false', platform: 'win32', reg: { [HKLM]: { AudioEchoCancellation: dword(0) } }, key: 'audio.echoCancellation', value: false, source: 'machine', origin: HKLM, enforced: true },
  { name: 'win: REG_DWORD amount', platform: 'win32', reg: { [HKLM]: { CreditAuditThreshold: dword(100) } }, key: 'credits.auditThreshold', value: 100, source: 'machine', origin: HKLM, enforced: true },
  { name: 'win: REG_MULTI_SZ list', platform: 'win32', reg: { [HKLM]: { OcrLanguages: { type: 'REG_MULTI_SZ', data: ['jpn'] } } }, key: 'ocr.languages', value: ['jpn'], source: 'machine', origin: HKLM, enforced: true },
  { name: 'win: invalid HKLM value falls to HKCU', platform: 'win32', reg: { [HKLM]: { UpdateMode: sz('sometimes') }, [HKCU]: { UpdateMode: sz('manual') } }, key: 'update.mode', value: 'manual', source: 'userPolicy', origin: HKCU, enforced: true },
  { name: 'win: user cannot set a policy-only setting', platform: 'win32', reg: {}, user: { 'credits.limitWithoutApproval': 999999 }, key: 'credits.limitWithoutApproval', value: 500, source: 'default', origin: null, enforced: false },
  { name: 'win: Linux file is not read on Windows', platform: 'win32', reg: {}, envFile: { UpdateMode: 'none' }, key: 'update.mode', value: 'default', source: 'default', origin: null, enforced: false },
  // macOS: machine managed prefs > per-user managed prefs > user > Recommended dictionaries > default
  { name: 'mac: managed prefs (machine)', platform: 'darwin', mac: { [MAC_MACHINE]: { UpdateMode: 'none' }, [MAC_USER]: { UpdateMode: 'manual' } }, key: 'update.mode', value: 'none', source: 'machine', origin: MAC_MACHINE, enforced: true },
  { name: 'mac: per-user managed prefs', platform: 'darwin', mac: { [MAC_USER]: { TelemetryEnabled: true } }, user: { 'telemetry.enabled': false }, key: 'telemetry.enabled', value: true, source: 'userPolicy', origin: MAC_USER, enforced: true },
  { name: 'mac: Recommended dictionary', platform: 'darwin', mac: { [MAC_MACHINE]: { Recommended: { AudioNoiseSuppression: false } } }, key: 'audio.noiseSuppression', value: false, source: 'recommended', origin: `${MAC_MACHINE} (Recommended)`, enforced: false },
  { name: 'mac: user over Recommended', platform: 'darwin', mac: { [MAC_MACHINE]: { Recommended: { AudioNoiseSuppression: false } } }, user: { 'audio.noiseSuppression': true }, key: 'audio.noiseSuppression', value: true, source: 'user', origin: /settings\.json$/, enforced: false },
  { name: 'mac: plist array list', platform: 'darwin', mac: { [MAC_MACHINE]: { AllowedCameras: ['Logitech*', 'FaceTime HD Camera'] } }, key: 'devices.allowedCameras', value: ['Logitech*', 'FaceTime HD Camera'], source: 'machine', origin: MAC_MACHINE, enforced: true },
  // Linux: /etc file > $VISUAL_ASSIST_POLICY_FILE > user > their Recommended objects > default
  { name: 'linux: system file', platform: 'linux', linux: { SignalingUrl: 'https://signal.corp.example' }, key: 'signaling.url', value: 'https://signal.corp.example', source: 'machine', origin: /etc-policy\.json$/, enforced: true },
  { name: 'linux: VISUAL_ASSIST_POLICY_FILE', platform: 'linux', envFile: { UpdateMode: 'none' }, key: 'update.mode', value: 'none', source: 'machine', origin: /env-policy\.json$/, enforced: true },
  { name: 'linux: system file outranks the env file', platform: 'linux', linux: { UpdateMode: 'manual' }, envFile: { UpdateMode: 'none' }, key: 'update.mode', value: 'manual', source: 'machine', origin: /etc-policy\.json$/, enforced: true },
  { name: 'linux: Recommended object', platform: 'linux', linux: { Recommended: { LogLevel: 'debug' } }, key: 'log.level', value: 'debug', source: 'recommended', origin: /etc-policy\.json \(Recommended\)$/, enforced: false },
  { name: 'linux: enforced over user', platform: 'linux', linux: { AudioAutoGainControl: false }, user: { 'audio.autoGainControl': true }, key: 'audio.autoGainControl', value: false, source: 'machine', origin: /etc-policy\.json$/, enforced: true },
  { name: 'linux: JSON object policy', platform: 'linux', linux: { CreditPerCurrency: { JPY: { limitWithoutApproval: 50000 } } }, key: 'credits.perCurrency', value: { JPY: { limitWithoutApproval: 50000 } }, source: 'machine', origin: /etc-policy\.json$/, enforced: true },
  { name: 'linux: no file, user setting', platform: 'linux', user: { 'ocr.languages': ['eng'] }, key: 'ocr.languages', value: ['eng'], source: 'user', origin: /settings\.json$/, enforced: false },
];

describe('policy resolver precedence (every source)', () => {
  it.each(CASES)('$name', (c) => {
    const dir = tmp();
    const linuxFile = join(dir, 'etc-policy.json');
    if (c.linux) writeFileSync(linuxFile, JSON.stringify(c.linux));
    const env: NodeJS.ProcessEnv = {};
    if (c.envFile) {
      env.VISUAL_ASSIST_POLICY_FILE = join(dir, 'env-policy.json');
      writeFileSync(env.VISUAL_ASSIST_POLICY_FILE, JSON.stringify(c.envFile));
    }
    if (c.user) writeFileSync(join(dir, 'settings.json'), JSON.stringify(c.user));
    const eff = loadEffectivePolicy({ platform: c.platform, env, dataDir: dir, registry: fakeRegistry(c.reg ?? {}), managedPrefs: fakePrefs(c.mac ?? {}), userName: 'alice', linuxPolicyFile: linuxFile });
    const s = eff.settings[c.key];
    expect(s.value).toEqual(c.value);
    expect(s.source).toBe(c.source);
    expect(s.enforced).toBe(c.enforced);
    if (c.origin instanceof RegExp) expect(s.origin).toMatch(c.origin);
    else expect(s.origin).toBe(c.origin);
  });

  it('records a bad value and an unknown name instead of ignoring them silently', () => {
    const eff = resolvePolicy([{ level: 'machine', origin: 'HKLM\\x', keyedBy: 'policyName', values: { UpdateMode: 'sometimes', UpdateMod: 'none' } }]);
    expect(eff.settings['update.mode'].source).toBe('default');
    expect(eff.issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ origin: 'HKLM\\x', name: 'UpdateMode' }),
      expect.objectContaining({ origin: 'HKLM\\x', name: 'UpdateMod', message: 'unknown setting (ignored)' }),
    ]));
  });

  it('a broken Linux file is reported and the next source decides', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    const eff = loadEffectivePolicy({ platform: 'linux', env: { VISUAL_ASSIST_POLICY_FILE: join(dir, 'bad.json') }, dataDir: null, linuxPolicyFile: join(dir, 'none.json') });
    expect(eff.issues[0]).toMatchObject({ origin: join(dir, 'bad.json'), message: 'not valid JSON' });
    expect(eff.settings['update.mode'].source).toBe('default');
  });

  it('every manifest default fits its own schema, names are unique and both languages are filled', () => {
    const names = new Set<string>();
    for (const s of MANIFEST) {
      expect(s.schema.safeParse(s.default).success, s.key).toBe(true);
      expect(names.has(s.policyName)).toBe(false);
      names.add(s.policyName);
      for (const t of [s.title, s.description]) { expect(t.en.length).toBeGreaterThan(2); expect(t.ja.length).toBeGreaterThan(2); }
    }
  });
});

describe('reg query output', () => {
  it('parses strings, DWORDs and multi-strings of one key', () => {
    const out = [
      '',
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\VisualAssist\\Workstation',
      '    UpdateMode    REG_SZ    none',
      '    CreditAuditThreshold    REG_DWORD    0xfa',
      '    AllowedCameras    REG_MULTI_SZ    Logitech*\\0HD Pro Webcam C920',
      '    ProxyBypassList    REG_SZ    ',
      '',
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\VisualAssist\\Workstation\\Recommended',
      '',
    ].join('\r\n');
    expect(parseRegQuery(out)).toEqual({
      UpdateMode: { type: 'REG_SZ', data: 'none' },
      CreditAuditThreshold: { type: 'REG_DWORD', data: 250 },
      AllowedCameras: { type: 'REG_MULTI_SZ', data: ['Logitech*', 'HD Pro Webcam C920'] },
      ProxyBypassList: { type: 'REG_SZ', data: '' },
    });
  });
});
