/** Remembered audio devices: match by id first (stable within a browser profile), then by label (ids change). */
export interface DeviceLike { deviceId: string; label: string; kind: string }

export function pickDevice<D extends DeviceLike>(devices: readonly D[], kind: 'audioinput' | 'audiooutput', id: string | null, label: string | null): D | null {
  const list = devices.filter((d) => d.kind === kind && d.deviceId !== '');
  if (id) { const byId = list.find((d) => d.deviceId === id); if (byId) return byId; }
  if (label) { const byLabel = list.find((d) => d.label === label); if (byLabel) return byLabel; }
  return null;
}

/** Chromium lists 'default'/'communications' aliases next to the real devices; show them once, first. */
export function listDevices<D extends DeviceLike>(devices: readonly D[], kind: 'audioinput' | 'audiooutput'): D[] {
  return devices.filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'communications');
}
