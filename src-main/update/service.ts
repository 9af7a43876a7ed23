/**
 * The update service: applies an UpdatePlan to an electron-updater instance
 * (or anything with the same surface). The updater is created lazily by an
 * injected factory, and never when the plan is disabled (UpdateMode none), so
 * that mode makes no request at all. Electron-free: the Electron glue passes
 * a factory returning electron-updater's autoUpdater; tests pass a real
 * electron-updater DebUpdater with a Node HTTP executor.
 */
import type { Logger } from '../log';
import type { UpdatePlan } from './plan';

/** The part of electron-updater's AppUpdater we use. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string; stagingPercentage?: number } } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export type UpdateStatus =
  | { state: 'disabled' }
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'up_to_date'; checkedAt: number }
  | { state: 'available'; version: string; installBy: 'app' | 'it'; checkedAt: number }
  | { state: 'downloaded'; version: string }
  | { state: 'error'; message: string };

export interface UpdateService {
  readonly plan: UpdatePlan;
  /** Called once at start: checks (and downloads) when the plan says so. */
  start(): Promise<void>;
  /** The user asked ("Check for updates"); refused when disabled by policy. */
  check(): Promise<UpdateStatus>;
  /** The user asked to install a downloaded update (not silently: the installer UI shows). */
  install(): UpdateStatus;
  status(): UpdateStatus;
  close(): void;
}

export function createUpdateService(plan: UpdatePlan, createUpdater: () => UpdaterLike, opts: { log?: Logger; now?: () => number } = {}): UpdateService {
  const now = opts.now ?? Date.now;
  let updater: UpdaterLike | null = null;
  let status: UpdateStatus = plan.enabled ? { state: 'idle' } : { state: 'disabled' };
  let timer: NodeJS.Timeout | null = null;

  const get = (): UpdaterLike => {
    if (updater) return updater;
    const u = createUpdater();
    u.autoDownload = plan.autoDownload;
    u.autoInstallOnAppQuit = plan.autoInstallOnAppQuit;
    if (plan.feedUrl) u.setFeedURL({ provider: 'generic', url: plan.feedUrl });
    updater = u;
    return u;
  };

  const check = async (): Promise<UpdateStatus> => {
    if (!plan.enabled) return (status = { state: 'disabled' });
    status = { state: 'checking' };
    try {
      const r = await get().checkForUpdates();
      const checkedAt = now();
      if (!r || !r.isUpdateAvailable) return (status = { state: 'up_to_date', checkedAt });
      status = { state: 'available', version: r.updateInfo.version, installBy: plan.installBy ?? 'app', checkedAt };
      opts.log?.info('update available', { version: r.updateInfo.version, installBy: plan.installBy });
      if (plan.autoDownload) {
        // electron-updater starts the download itself when autoDownload is on; wait for it here.
        await get().downloadUpdate();
        status = { state: 'downloaded', version: r.updateInfo.version };
      }
      return status;
    } catch (err) {
      opts.log?.warn('update check failed', { error: (err as Error).message });
      return (status = { state: 'error', message: (err as Error).message });
    }
  };

  return {
    plan,
    async start() {
      if (!plan.enabled || !plan.checkOnStart) return;
      await check();
      if (plan.recheckMs) {
        timer = setInterval(() => { void check(); }, plan.recheckMs);
        timer.unref();
      }
    },
    check,
    install() {
      if (status.state !== 'downloaded' || plan.installBy !== 'app' || !updater) return status;
      // Not silent: the installer shows its UI (and a UAC prompt where the user can answer it).
      updater.quitAndInstall(false, true);
      return status;
    },
    status: () => status,
    close() { if (timer) clearInterval(timer); timer = null; },
  };
}
