/**
 * What the updater may do, decided from policy and the installation; pure.
 *
 *  - UpdateMode `none`: nothing. The updater is never even constructed, so no
 *    request leaves the machine (not the feed, not a staging id header).
 *  - `manual`: no check until the user asks; no background download; install
 *    only when the user says so.
 *  - `default`: check at start and every few hours, download in the
 *    background, install on quit.
 *  - A per-machine install run by a standard user never installs silently:
 *    installing needs elevation, which would either raise a UAC prompt out of
 *    nowhere or fail silently. The user is told an update is available and
 *    that IT deploys it; nothing is downloaded or installed.
 */
export type UpdateMode = 'default' | 'manual' | 'none';

export interface UpdateContext {
  mode: UpdateMode;
  /** Corporate feed (UpdateFeedUrl policy); '' = the feed built into the app (app-update.yml). */
  feedUrl: string;
  /** Installed for all users (Program Files, /Applications owned by root, a deb/rpm). */
  perMachine: boolean;
  /** The current user may elevate without a prompt (an administrator / root). */
  isAdmin: boolean;
}

export interface UpdatePlan {
  mode: UpdateMode;
  /** False: do not construct the updater at all. */
  enabled: boolean;
  checkOnStart: boolean;
  /** Background re-check interval, or null for none. */
  recheckMs: number | null;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  /** Who installs: the app (on quit or when asked), or IT (per-machine install, standard user). */
  installBy: 'app' | 'it' | null;
  /** Generic provider URL to set, or null to keep the built-in feed. */
  feedUrl: string | null;
}

export const RECHECK_MS = 4 * 3600_000;

export function planUpdates(ctx: UpdateContext): UpdatePlan {
  const feedUrl = ctx.feedUrl ? ctx.feedUrl : null;
  if (ctx.mode === 'none') return { mode: 'none', enabled: false, checkOnStart: false, recheckMs: null, autoDownload: false, autoInstallOnAppQuit: false, installBy: null, feedUrl: null };
  const itInstalls = ctx.perMachine && !ctx.isAdmin;
  if (ctx.mode === 'manual') {
    return { mode: 'manual', enabled: true, checkOnStart: false, recheckMs: null, autoDownload: false, autoInstallOnAppQuit: false, installBy: itInstalls ? 'it' : 'app', feedUrl };
  }
  return {
    mode: 'default', enabled: true, checkOnStart: true, recheckMs: RECHECK_MS,
    autoDownload: !itInstalls, autoInstallOnAppQuit: !itInstalls, installBy: itInstalls ? 'it' : 'app', feedUrl,
  };
}
