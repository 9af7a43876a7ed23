/**
 * Lint of electron-builder.yml (and of published latest*.yml feeds) for the
 * mistakes IT admins of Electron apps keep reporting: fuses left unstated or
 * ASAR integrity off, macOS builds whose camera and microphone die after
 * signing for lack of entitlements or usage strings, signing options holding
 * ${env.X} placeholders electron-builder never expands, per-user installers
 * where IT needs per-machine ones, and staged rollouts given as a fraction
 * (electron-updater parseInt()s stagingPercentage: 0.5 means nobody, 12.5
 * means 12).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import yaml from 'js-yaml';
import plist from 'plist';

export interface LintIssue { path: string; message: string }
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const targets = (v: unknown): string[] => (Array.isArray(v) ? v : v ? [v] : []).map((t) => (isObj(t) ? String(t.target) : String(t)).toLowerCase());
const PLACEHOLDER = /\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]+|%[A-Z_][A-Z0-9_]*%/;

/** Every fuse @electron/fuses knows, in electron-builder's camelCase spelling. */
export const FUSE_NAMES: string[] = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k))).map((k) => k[0]!.toLowerCase() + k.slice(1));

export function lintStagingPercentage(v: unknown, path: string): LintIssue[] {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100) return [];
  return [{ path, message: `stagingPercentage must be a whole number 0-100 (got ${JSON.stringify(v)}); electron-updater reads it with parseInt, so a fraction like 0.5 rolls out to nobody` }];
}

function walk(v: unknown, path: string, visit: (key: string, value: unknown, path: string) => void): void {
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, visit));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) { const p = path ? `${path}.${k}` : k; visit(k, x, p); walk(x, p, visit); }
}

export function lintUpdateInfo(text: string, file = 'latest.yml'): LintIssue[] {
  const info = yaml.load(text);
  if (!isObj(info)) return [{ path: file, message: 'not a YAML mapping' }];
  const issues: LintIssue[] = [];
  if (typeof info.version !== 'string') issues.push({ path: `${file}: version`, message: 'missing version' });
  if ('stagingPercentage' in info) issues.push(...lintStagingPercentage(info.stagingPercentage, `${file}: stagingPercentage`));
  return issues;
}

export function lintBuilderConfig(configText: string, root: string): LintIssue[] {
  const c = yaml.load(configText) as Obj;
  const issues: LintIssue[] = [];
  const need = (ok: unknown, path: string, message: string) => { if (!ok) issues.push({ path, message }); };
  const win = isObj(c.win) ? c.win : {};
  const mac = isObj(c.mac) ? c.mac : {};
  const linux = isObj(c.linux) ? c.linux : {};

  // Fuses: every one stated, and the safe value for those that matter.
  need(c.asar === true, 'asar', 'asar must be true (ASAR integrity needs it)');
  const fuses = isObj(c.electronFuses) ? c.electronFuses : {};
  for (const f of FUSE_NAMES) need(typeof fuses[f] === 'boolean', `electronFuses.${f}`, 'every fuse must be stated (true or false)');
  for (const [f, v] of [['enableEmbeddedAsarIntegrityValidation', true], ['onlyLoadAppFromAsar', true], ['runAsNode', false], ['enableNodeCliInspectArguments', false], ['enableNodeOptionsEnvironmentVariable', false]] as const) {
    if (typeof fuses[f] === 'boolean') need(fuses[f] === v, `electronFuses.${f}`, `must be ${v} in a shipped build`);
  }

  // Windows: per-machine NSIS and MSI.
  const wt = targets(win.target);
  need(wt.includes('nsis'), 'win.target', 'an NSIS installer is expected');
  need(wt.includes('msi'), 'win.target', 'an MSI is expected (GPO software installation, Intune)');
  need(isObj(c.nsis) && c.nsis.perMachine === true, 'nsis.perMachine', 'IT deploys per machine');
  need(isObj(c.msi) && c.msi.perMachine === true, 'msi.perMachine', 'IT deploys per machine');
  need(isObj(c.msi) && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(c.msi.upgradeCode ?? '')), 'msi.upgradeCode', 'a fixed upgrade code GUID, or each MSI installs beside the last instead of upgrading it');

  // macOS: signed, notarised, hardened, with camera and microphone.
  const mt = targets(mac.target);
  need(mt.includes('dmg') && mt.includes('pkg'), 'mac.target', 'dmg and pkg are expected');
  need(mac.hardenedRuntime === true, 'mac.hardenedRuntime', 'notarisation needs the hardened runtime');
  need(mac.notarize !== false && mac.notarize !== undefined, 'mac.notarize', 'builds must be notarised');
  for (const key of ['entitlements', 'entitlementsInherit'] as const) {
    const file = typeof mac[key] === 'string' ? join(root, mac[key] as string) : null;
    if (!file || !existsSync(file)) { issues.push({ path: `mac.${key}`, message: 'entitlements file missing' }); continue; }
    const ent = plist.parse(readFileSync(file, 'utf8')) as Obj;
    for (const e of ['com.apple.security.device.camera', 'com.apple.security.device.audio-input']) {
      need(ent[e] === true, `mac.${key}: ${e}`, 'missing: under the hardened runtime the camera/microphone stops working after signing');
    }
  }
  const info = isObj(mac.extendInfo) ? mac.extendInfo : {};
  for (const k of ['NSCameraUsageDescription', 'NSMicrophoneUsageDescription']) need(typeof info[k] === 'string' && (info[k] as string).length > 10, `mac.extendInfo.${k}`, 'usage string missing: macOS refuses the device without it');
  const lproj = (Array.isArray(mac.extraResources) ? mac.extraResources : []).filter(isObj).map((r) => ({ from: String(r.from), to: String(r.to) }));
  for (const lang of ['en', 'ja']) {
    const r = lproj.find((x) => x.to === `${lang}.lproj`);
    const strings = r ? join(root, r.from, 'InfoPlist.strings') : null;
    if (!strings || !existsSync(strings)) { issues.push({ path: `mac.extraResources ${lang}.lproj`, message: `usage strings in ${lang} missing (InfoPlist.strings)` }); continue; }
    const text = readFileSync(strings, 'utf8');
    for (const k of ['NSCameraUsageDescription', 'NSMicrophoneUsageDescription']) need(new RegExp(`"${k}"\\s*=\\s*"[^"]{10,}";`).test(text), `${lang}.lproj/InfoPlist.strings: ${k}`, 'missing');
  }

  // Linux.
  const lt = targets(linux.target);
  need(lt.includes('appimage') && lt.includes('deb'), 'linux.target', 'AppImage and deb are expected');

  // Signing options: placeholders are never expanded there.
  const signing: [string, unknown][] = [
    ['win.signtoolOptions', win.signtoolOptions], ['win.azureSignOptions', win.azureSignOptions], ['win.certificateFile', win.certificateFile],
    ['win.certificatePassword', win.certificatePassword], ['mac.identity', mac.identity], ['mac.notarize', mac.notarize],
    ['pkg.identity', isObj(c.pkg) ? c.pkg.identity : undefined], ['dmg.identity', isObj(c.dmg) ? c.dmg.identity : undefined],
  ];
  for (const [path, v] of signing) {
    if (typeof v === 'string' && PLACEHOLDER.test(v)) issues.push({ path, message: `unresolved environment placeholder ${v.match(PLACEHOLDER)![0]}; set the variable electron-builder reads (CSC_LINK, WIN_CSC_LINK, APPLE_*) instead` });
    walk(v, path, (_k, x, p) => { if (typeof x === 'string' && PLACEHOLDER.test(x)) issues.push({ path: p, message: `unresolved environment placeholder ${x.match(PLACEHOLDER)![0]}; set the variable electron-builder reads (CSC_LINK, WIN_CSC_LINK, APPLE_*) instead` }); });
  }

  // Staged rollout anywhere in the config.
  walk(c, '', (k, v, p) => { if (k === 'stagingPercentage') issues.push(...lintStagingPercentage(v, p)); });
  return issues;
}
