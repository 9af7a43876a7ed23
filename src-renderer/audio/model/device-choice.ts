/**
 * Which device to use when devices come and go (pure). The agent's chosen
 * device wins whenever it is plugged in; when it is not, the most recently
 * chosen device that is; else the system default (null). Devices are matched
 * by id, then by label, because ids change across sessions.
 */
import { pickDevice, type DeviceLike } from '../../agent/devices';

export interface Remembered { id: string; label: string }
export type AudioKind = 'audioinput' | 'audiooutput';
export interface Resolved { deviceId: string | null; via: 'chosen' | 'recent' | 'default' }

export function resolveDevice(devices: readonly DeviceLike[], kind: AudioKind, chosen: Remembered | null, recent: readonly Remembered[] = []): Resolved {
  if (chosen) {
    const d = pickDevice(devices, kind, chosen.id, chosen.label);
    if (d) return { deviceId: d.deviceId, via: 'chosen' };
  }
  for (const r of recent) {
    if (chosen && (r.id === chosen.id || (r.label && r.label === chosen.label))) continue;
    const d = pickDevice(devices, kind, r.id, r.label);
    if (d && d.deviceId !== 'default') return { deviceId: d.deviceId, via: 'recent' };
  }
  return { deviceId: null, via: 'default' };
}

/** Is the device with this id (as a track's settings report it) still listed? 'default' is while any device of the kind is. */
export function isPresent(devices: readonly DeviceLike[], kind: AudioKind, deviceId: string | null | undefined): boolean {
  const list = devices.filter((d) => d.kind === kind && d.deviceId !== '');
  if (!deviceId || deviceId === 'default') return list.length > 0;
  return list.some((d) => d.deviceId === deviceId);
}

/** The chosen device goes first in the recent list; no repeats (by id or label); at most `max`. */
export function pushRecent(recent: readonly Remembered[], d: Remembered, max = 4): Remembered[] {
  return [d, ...recent.filter((r) => r.id !== d.id && (!d.label || r.label !== d.label))].slice(0, max);
}

/**
 * Whether the live microphone must move: its device is gone (or its track
 * ended), or the wanted device is a real one other than what is open. With
 * no preference (system default) a present device is kept, not churned.
 */
export function micNeedsSwitch(want: Resolved, current: string | null, present: boolean, trackEnded: boolean): boolean {
  if (trackEnded || !present) return true;
  return want.deviceId !== null && want.deviceId !== current;
}
