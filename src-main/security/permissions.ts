/**
 * Permission decisions for the Electron session, default-deny (after Signal
 * Desktop's app/permissions.ts). Only the app's own top frame may use the
 * camera, microphone, speaker selection and screen capture that a call needs;
 * every other permission, origin or subframe is refused.
 */
import { isAppOrigin, isAppUrl } from './app-origin';

/** Permissions the workstation needs, by Electron's permission names. */
const ALLOWED: ReadonlySet<string> = new Set(['media', 'speaker-selection', 'display-capture', 'clipboard-sanitized-write', 'fullscreen']);
/** Permission *checks* (synchronous queries) that may answer true. */
const ALLOWED_CHECKS: ReadonlySet<string> = new Set(['media', 'speaker-selection', 'clipboard-sanitized-write', 'fullscreen']);
const MEDIA_TYPES: ReadonlySet<string> = new Set(['audio', 'video']);

export interface PermissionQuery {
  permission: string;
  /** URL of the frame asking (request handler: details.requestingUrl; check handler: requestingOrigin). */
  requestingUrl?: string;
  requestingOrigin?: string;
  isMainFrame: boolean;
  /** For 'media': which kinds are asked for (Electron's details.mediaTypes). */
  mediaTypes?: readonly string[];
}

function fromApp(q: PermissionQuery): boolean {
  if (q.requestingUrl !== undefined && !isAppUrl(q.requestingUrl)) return false;
  if (q.requestingOrigin !== undefined && !isAppOrigin(q.requestingOrigin) && !isAppUrl(q.requestingOrigin)) return false;
  return q.requestingUrl !== undefined || q.requestingOrigin !== undefined;
}

/** Answer to setPermissionRequestHandler. */
export function decidePermissionRequest(q: PermissionQuery): boolean {
  if (!ALLOWED.has(q.permission) || !q.isMainFrame || !fromApp(q)) return false;
  if (q.permission === 'media' && q.mediaTypes && !q.mediaTypes.every((t) => MEDIA_TYPES.has(t))) return false;
  return true;
}

/** Answer to setPermissionCheckHandler. */
export function decidePermissionCheck(q: PermissionQuery): boolean {
  return ALLOWED_CHECKS.has(q.permission) && q.isMainFrame && fromApp(q);
}

/** Answer to setDevicePermissionHandler (WebHID/USB/serial/bluetooth): never. */
export function decideDevicePermission(_q: { deviceType: string; origin: string }): boolean {
  return false;
}
