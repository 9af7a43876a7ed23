/**
 * Is there an Electron binary we can launch? Answered without
 * `require('electron')`: that call tries to download the binary on first use
 * (and fails slowly here, with no internet). We read the package's path.txt
 * and check the file, the same lookup electron/index.js does, minus the
 * download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronLookup = { ok: true; binary: string } | { ok: false; reason: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env, fromDir: string = process.cwd()): ElectronLookup {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(join(fromDir, 'noop.js')).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'Electron is not installed (npm package missing)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron')
    : rel ? join(pkgDir, 'dist', rel) : '';
  if (!binary || !existsSync(binary)) {
    return { ok: false, reason: 'Electron binary not installed (it downloads on first run; no internet here)' };
  }
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no graphical display (DISPLAY and WAYLAND_DISPLAY unset)' };
  }
  return { ok: true, binary };
}
