/**
 * Default-deny permissions for the app session (after Signal Desktop's
 * app/permissions.ts). The table lives in ../security/permissions.ts.
 */
import type { Session } from 'electron';
import { chooseHidDevice, decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../security/permissions';
import type { Logger } from '../log';

export function installPermissionHandlers(ses: Session, log: Logger): void {
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
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    decidePermissionCheck({ permission, requestingOrigin, isMainFrame: details.isMainFrame }),
  );
  ses.setDevicePermissionHandler((details) =>
    decideDevicePermission({ deviceType: details.deviceType, origin: details.origin, device: details.device && typeof details.device === 'object' && 'collections' in details.device ? details.device : null }),
  );
  // navigator.hid.requestDevice: Electron shows no chooser; the decision picks a telephony headset for our own top frame.
  ses.on('select-hid-device', (event, details, callback) => {
    event.preventDefault();
    const frame = details.frame;
    const id = chooseHidDevice({ frameUrl: frame?.url ?? null, isMainFrame: !!frame && frame.parent === null, deviceList: details.deviceList });
    if (!id) log.warn('hid device request refused', { devices: details.deviceList.length, url: String(frame?.url ?? '').slice(0, 200) });
    callback(id);
  });
}
