/**
 * Default-deny permissions for the app session (after Signal Desktop's
 * app/permissions.ts). The table lives in ../security/permissions.ts.
 */
import { webContents as allWebContents, type Session, type WebContents } from 'electron';
import { chooseHidDevice, decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../security/permissions';
import type { Logger } from '../log';

/** `isAppWindow`: whether a web contents is the app's own window (main.ts knows which one it created). */
export function installPermissionHandlers(ses: Session, log: Logger, isAppWindow: (wc: WebContents | null | undefined) => boolean): void {
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const granted = decidePermissionRequest({
      permission,
      requestingUrl: 'requestingUrl' in details ? details.requestingUrl : '',
      isMainFrame: details.isMainFrame,
      ...(mediaTypes ? { mediaTypes } : {}),
    });
    if (!granted) log.warn('permission request denied', { permission, url: String('requestingUrl' in details ? details.requestingUrl : '').slice(0, 200) });
    callback(granted);
  });
  ses.setPermissionCheckHandler((wc, permission, requestingOrigin, details) =>
    decidePermissionCheck({ permission, requestingOrigin, isMainFrame: details.isMainFrame, isAppWindow: isAppWindow(wc) }),
  );
  ses.setDevicePermissionHandler((details) =>
    decideDevicePermission({ deviceType: details.deviceType, origin: details.origin, device: details.device && typeof details.device === 'object' && 'collections' in details.device ? details.device : null }),
  );
  // navigator.hid.requestDevice: Electron shows no chooser; the decision picks a telephony headset for our own window's top frame.
  ses.on('select-hid-device', (event, details, callback) => {
    event.preventDefault();
    const frame = details.frame;
    const id = chooseHidDevice({ frameUrl: frame?.url ?? null, isMainFrame: !!frame && frame.parent === null, isAppWindow: !!frame && isAppWindow(allWebContents.fromFrame(frame)), deviceList: details.deviceList });
    if (!id) log.warn('hid device request refused', { devices: details.deviceList.length, url: String(frame?.url ?? '').slice(0, 200) });
    callback(id);
  });
}
