/**
 * Is this a per-machine install, and may the current user install over it
 * without an elevation prompt? Probes are injected so the decision is tested
 * on any platform; the defaults look at the real machine.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { dirname, sep } from 'node:path';

export interface InstallProbes {
  platform: NodeJS.Platform;
  execPath: string;
  env: NodeJS.ProcessEnv;
  /** Can the current user write this directory? */
  writable(dir: string): boolean;
  /** Windows: is the process elevated (`net session` succeeds only then)? */
  elevated(): boolean;
  uid(): number | null;
}

export const realProbes = (): InstallProbes => ({
  platform: process.platform,
  execPath: process.execPath,
  env: process.env,
  writable(dir) { try { accessSync(dir, constants.W_OK); return true; } catch { return false; } },
  elevated() { try { execFileSync('net', ['session'], { stdio: 'ignore', windowsHide: true, timeout: 5000 }); return true; } catch { return false; } },
  uid: () => (typeof process.getuid === 'function' ? process.getuid() : null),
});

export function installKind(p: InstallProbes): { perMachine: boolean; isAdmin: boolean } {
  const under = (root: string | undefined) => !!root && p.execPath.toLowerCase().startsWith(root.toLowerCase().replace(/[\\/]+$/, '') + sep);
  if (p.platform === 'win32') {
    const perMachine = under(p.env.ProgramFiles) || under(p.env['ProgramFiles(x86)']) || under(p.env.ProgramW6432);
    return { perMachine, isAdmin: perMachine ? p.elevated() : true };
  }
  const appDir = dirname(p.execPath);
  if (p.platform === 'darwin') {
    // Squirrel.Mac replaces the .app in place: without write access to it the user cannot update it.
    const perMachine = !p.writable(appDir);
    return { perMachine, isAdmin: p.uid() === 0 };
  }
  // Linux: an AppImage updates its own file; a deb/rpm lives in a root-owned folder.
  if (p.env.APPIMAGE) return { perMachine: false, isAdmin: true };
  return { perMachine: !p.writable(appDir), isAdmin: p.uid() === 0 };
}
