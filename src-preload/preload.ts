/**
 * The sandboxed preload: exposes exactly `window.workstation.invoke` for the
 * contract's channel names, nothing else. ipcRenderer itself never reaches
 * the page (a page holding it could call any channel or listen to any event).
 * Built to CommonJS (sandboxed preloads cannot be ES modules).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, type Result, type WorkstationApi } from './api';

const allowed: ReadonlySet<string> = new Set(CHANNEL_NAMES);

const api: WorkstationApi = {
  invoke(channel, input) {
    if (typeof channel !== 'string' || !allowed.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `unknown channel: ${String(channel).slice(0, 80)}` } });
    }
    return (ipcRenderer.invoke(channel, input) as Promise<Result<never>>).catch(
      (err: unknown): Result<never> => ({ ok: false, error: { code: 'unavailable', message: `main process did not answer: ${err instanceof Error ? err.message : String(err)}` } }),
    );
  },
};

contextBridge.exposeInMainWorld('workstation', Object.freeze(api));
