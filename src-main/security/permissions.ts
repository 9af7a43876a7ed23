/**
 * Permission decisions for the Electron session, default-deny (after Signal
 * Desktop's app/permissions.ts). Only the app's own top frame may use the
 * camera, microphone, speaker selection and screen capture that a call needs;
 * every other permission, origin or subframe is refused.
 */
import { isAppOrigin, isAppUrl } from './app-origin';

/** Permissions the workstation needs, by Electron's permission names. */
const ALLOWED: ReadonlySet<string> = new Set(['media', 'speaker-selection', 'display-capture', 'clipboard-sanitized-write', 'fullscreen']);
/**
 * Permission *checks* (synchronous queries) that may answer true. 'hid' is
 * how Electron asks whether navigator.hid may be used at all; which device
 * is then decided by chooseHidDevice and decideDevicePermission below.
 */
const ALLOWED_CHECKS: ReadonlySet<string> = new Set(['media', 'speaker-selection', 'clipboard-sanitized-write', 'fullscreen', 'hid']);
const MEDIA_TYPES: ReadonlySet<string> = new Set(['audio', 'video']);

export interface PermissionQuery {
  permission: string;
  /** URL of the frame asking (request handler: details.requestingUrl; check handler: requestingOrigin). */
  requestingUrl?: string;
  requestingOrigin?: string;
  isMainFrame: boolean;
  /** For 'media': which kinds are asked for (Electron's details.mediaTypes). */
  mediaTypes?: readonly string[];
  /** Whether the asking web contents is the app's own window (not another window, devtools or a guest). */
  isAppWindow?: boolean;
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
  // A HID device is opened only from the app's own window: no other web contents may even ask.
  if (q.permission === 'hid' && q.isAppWindow !== true) return false;
  return ALLOWED_CHECKS.has(q.permission) && q.isMainFrame && fromApp(q);
}

/** HID usage page of telephony devices (headsets, speakerphones): the only HID devices the app may open. */
export const TELEPHONY_USAGE_PAGE = 0x0b;

export interface HidDeviceLike { deviceId?: string; name?: string; collections?: ReadonlyArray<{ usagePage: number }> | null }

/** A HID interface with a top-level collection on the telephony page. A keyboard, mouse or security key never is. */
export function isTelephonyHid(device: HidDeviceLike | null | undefined): boolean {
  return !!device && Array.isArray(device.collections) && device.collections.some((c) => c && c.usagePage === TELEPHONY_USAGE_PAGE);
}

/**
 * Answer to setDevicePermissionHandler: a telephony HID device for the app's
 * own origin; never USB, serial, any other HID device or any other origin.
 */
export function decideDevicePermission(q: { deviceType: string; origin: string; device?: HidDeviceLike | null }): boolean {
  return q.deviceType === 'hid' && (isAppOrigin(q.origin) || isAppUrl(q.origin)) && isTelephonyHid(q.device);
}

/**
 * Answer to the session's 'select-hid-device' (navigator.hid.requestDevice):
 * only for the app's top frame in the app's own window, and only a telephony device. Electron has no
 * chooser of its own; the first telephony interface is taken (the agent's
 * settings show which one and can forget it). Null cancels the request.
 */
export function chooseHidDevice(q: { frameUrl: string | null; isMainFrame: boolean; isAppWindow: boolean; deviceList: readonly HidDeviceLike[] }): string | null {
  if (!q.isAppWindow || !q.isMainFrame || !q.frameUrl || !isAppUrl(q.frameUrl)) return null;
  const d = q.deviceList.find((x) => isTelephonyHid(x) && typeof x.deviceId === 'string' && x.deviceId !== '');
  return d?.deviceId ?? null;
}
