/**
 * One ipcMain.handle per contract channel. Each call is first checked for
 * its sender (the app's own top frame only, see ../security/sender.ts), then
 * goes through the same router as the web host.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../src-preload/api';
import type { Result } from '../../src-preload/api';
import { checkSender } from '../security/sender';
import type { Router } from '../router';
import type { Logger } from '../log';

export function registerIpc(router: Router, log: Logger): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      const check = checkSender(event.senderFrame);
      if (!check.ok) {
        log.warn('IPC refused', { channel, reason: check.reason, url: event.senderFrame?.url.slice(0, 200) });
        return { ok: false, error: { code: 'forbidden_sender', message: `this frame may not call ${channel}` } };
      }
      return router.dispatch(channel, input, { host: 'electron', caller: `webContents:${event.sender.id}` });
    });
  }
  return () => { for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel); };
}
