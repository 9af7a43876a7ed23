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

const bareLabel = (l: string) => l.replace(/^default\s*(-\s*)?/i, '').trim();

/**
 * Whether the system default a live track was opened on is no longer the
 * system default. Chromium lists it as 'Default - <device>' (Windows, macOS)
 * and a track opened on it carries that label; when the OS moves its default
 * (the headset unplugged or plugged in) the listing changes but the open
 * track stays on the old device, and it does not always end. Where the
 * listing says only 'Default' (Linux) nothing can be told, so nothing moves.
 */
export function defaultMoved(devices: readonly DeviceLike[], kind: AudioKind, trackLabel: string): boolean {
  const d = devices.find((x) => x.kind === kind && x.deviceId === 'default');
  if (!d) return false;
  const listed = bareLabel(d.label);
  const open = bareLabel(trackLabel);
  return listed !== '' && open !== '' && listed !== open;
}

/**
 * Whether the live microphone must move: its device is gone (or its track
 * ended), the wanted device is a real one other than what is open, or the
 * track is on the system default and the system default is now another
 * device. With no preference a working default is kept, not churned.
 */
export function micNeedsSwitch(want: Resolved, current: string | null, present: boolean, trackEnded: boolean, systemDefaultMoved = false): boolean {
  if (trackEnded || !present) return true;
  if (want.deviceId === null) return systemDefaultMoved && (current === 'default' || current === null);
  return want.deviceId !== current;
}
