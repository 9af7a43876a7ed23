/**
 * AllowedCameras / AllowedMicrophones on a MediaDevices with known devices
 * (a fake: no media stack in Node; the e2e managed-settings test does the
 * same against Chromium's fake devices): pickers list only allowed inputs,
 * every open is pinned to an allowed device, and none allowed is a clear error.
 */
import { describe, expect, it } from 'vitest';
import { installDevicePolicy, labelAllowed } from '../../../src-renderer/devices/device-policy';

type Dev = { deviceId: string; kind: MediaDeviceKind; label: string; groupId: string };
const DEVICES: Dev[] = [
  { deviceId: 'default', kind: 'audioinput', label: 'Default - Laptop Microphone', groupId: 'g1' },
  { deviceId: 'm1', kind: 'audioinput', label: 'Laptop Microphone', groupId: 'g1' },
  { deviceId: 'm2', kind: 'audioinput', label: 'Jabra Evolve2 65', groupId: 'g2' },
  { deviceId: 'c1', kind: 'videoinput', label: 'Integrated Webcam', groupId: 'g3' },
  { deviceId: 'c2', kind: 'videoinput', label: 'Logitech BRIO (046d:085e)', groupId: 'g4' },
  { deviceId: 's1', kind: 'audiooutput', label: 'Speakers', groupId: 'g5' },
];

function fakeMediaDevices(opts: { hiddenUntilOpened?: boolean } = {}) {
  let unlocked = !opts.hiddenUntilOpened;
  const opened: MediaStreamConstraints[] = [];
  const labelOf = (kind: 'audioinput' | 'videoinput', c: boolean | MediaTrackConstraints | undefined) => {
    const id = typeof c === 'object' && c.deviceId && typeof c.deviceId === 'object' ? (c.deviceId as { exact?: string }).exact : undefined;
    const d = DEVICES.find((x) => x.kind === kind && (id ? x.deviceId === id : x.deviceId !== 'default'));
    return d!.label;
  };
  const md = {
    async enumerateDevices() { return DEVICES.map((d) => ({ ...d, label: unlocked ? d.label : '', toJSON() { return d; } })); },
    async getUserMedia(c: MediaStreamConstraints) {
      opened.push(c);
      unlocked = true;
      const tracks = [
        ...(c.audio ? [{ kind: 'audio', label: labelOf('audioinput', c.audio), stopped: false, stop() { this.stopped = true; } }] : []),
        ...(c.video ? [{ kind: 'video', label: labelOf('videoinput', c.video), stopped: false, stop() { this.stopped = true; } }] : []),
      ];
      return { getTracks: () => tracks };
    },
  };
  return { md: md as unknown as MediaDevices, opened };
}

describe('device policy', () => {
  it('matches labels exactly or by a trailing-* prefix, without case; an empty list allows all', () => {
    expect(labelAllowed('Jabra Evolve2 65', ['jabra*'])).toBe(true);
    expect(labelAllowed('Default - Jabra Evolve2 65', ['Jabra Evolve2 65'])).toBe(true);
    expect(labelAllowed('Jabra Evolve2 65', ['Jabra'])).toBe(false);
    expect(labelAllowed('My Jabra', ['Jabra*'])).toBe(false);
    expect(labelAllowed('', ['*'])).toBe(false);
    expect(labelAllowed('anything', [])).toBe(true);
  });

  it('pickers see only allowed inputs; outputs are untouched', async () => {
    const { md } = fakeMediaDevices();
    installDevicePolicy(md, { cameras: ['Logitech BRIO*'], microphones: ['Jabra*'] });
    expect((await md.enumerateDevices()).map((d) => d.deviceId)).toEqual(['m2', 'c2', 's1']);
  });

  it('an open without a device, or with a forbidden one, is pinned to an allowed device', async () => {
    const { md, opened } = fakeMediaDevices();
    installDevicePolicy(md, { cameras: ['Logitech BRIO*'], microphones: ['Jabra*'] });
    const s1 = await md.getUserMedia({ audio: { echoCancellation: true } });
    expect(s1.getTracks()[0]!.label).toBe('Jabra Evolve2 65');
    expect(opened.at(-1)).toEqual({ audio: { echoCancellation: true, deviceId: { exact: 'm2' } } });
    const s2 = await md.getUserMedia({ audio: { deviceId: { exact: 'm1' } }, video: true });
    expect(s2.getTracks().map((t) => t.label)).toEqual(['Jabra Evolve2 65', 'Logitech BRIO (046d:085e)']);
  });

  it('with no allowed device connected the open fails with NotFoundError naming the policy', async () => {
    const { md, opened } = fakeMediaDevices();
    installDevicePolicy(md, { cameras: ['Document Camera*'], microphones: [] });
    await expect(md.getUserMedia({ video: true })).rejects.toMatchObject({ name: 'NotFoundError', message: expect.stringMatching(/AllowedCameras/) });
    expect(opened).toEqual([]);
    // Microphones are not restricted: opened as asked.
    await md.getUserMedia({ audio: true });
    expect(opened).toEqual([{ audio: true }]);
  });

  it('names hidden before the first open are revealed by a probe, then the allowed device is chosen', async () => {
    const { md, opened } = fakeMediaDevices({ hiddenUntilOpened: true });
    installDevicePolicy(md, { cameras: [], microphones: ['Jabra Evolve2 65'] });
    const s = await md.getUserMedia({ audio: true });
    expect(s.getTracks()[0]!.label).toBe('Jabra Evolve2 65');
    expect(opened).toEqual([{ audio: true }, { audio: { deviceId: { exact: 'm2' } } }]);
  });
});
