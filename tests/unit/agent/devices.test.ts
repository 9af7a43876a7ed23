import { describe, expect, it } from 'vitest';
import { listDevices, pickDevice } from '../../../src-renderer/agent/devices';

describe('remembered audio devices', () => {
  const devs = [
    { deviceId: 'default', label: 'Default - Headset', kind: 'audioinput' },
    { deviceId: 'communications', label: 'Communications - Headset', kind: 'audioinput' },
    { deviceId: 'mic-A', label: 'Headset Mic', kind: 'audioinput' },
    { deviceId: 'mic-B', label: 'Desk Mic', kind: 'audioinput' },
    { deviceId: 'spk-A', label: 'Headset', kind: 'audiooutput' },
    { deviceId: '', label: '', kind: 'audioinput' },
  ];
  it('matches by id first, then by label (ids change across sessions), never across kinds', () => {
    expect(pickDevice(devs, 'audioinput', 'mic-B', 'Headset Mic')?.deviceId).toBe('mic-B');
    expect(pickDevice(devs, 'audioinput', 'stale-id', 'Desk Mic')?.deviceId).toBe('mic-B');
    expect(pickDevice(devs, 'audioinput', 'spk-A', 'Headset')).toBeNull();
    expect(pickDevice(devs, 'audiooutput', null, 'Headset')?.deviceId).toBe('spk-A');
    expect(pickDevice(devs, 'audioinput', null, null)).toBeNull();
  });
  it('lists each real device once (no communications alias, no unlabeled blank ids)', () => {
    expect(listDevices(devs, 'audioinput').map((d) => d.deviceId)).toEqual(['default', 'mic-A', 'mic-B']);
  });
});
