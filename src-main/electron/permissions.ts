/**
 * Default-deny permissions for the app session (after Signal Desktop's
 * app/permissions.ts). The table lives in ../security/permissions.ts.
 */
import type { Session } from 'electron';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from '../security/permissions';
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
  ses.setDevicePermissionHandler((details) => decideDevicePermission({ deviceType: details.deviceType, origin: details.origin }));
}
