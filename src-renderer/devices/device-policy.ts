/**
 * The AllowedCameras / AllowedMicrophones policies, applied to every camera
 * and microphone this page opens. Patterns are device labels, or prefixes
 * ending in `*`, compared without case; an empty list allows every device.
 *
 * The page's own MediaDevices is wrapped once at start, before any call:
 * enumerateDevices lists only allowed inputs (so every picker offers only
 * them), and getUserMedia pins each restricted kind to an allowed device
 * (`deviceId: {exact}`, the one asked for when it is allowed, else the first
 * allowed one) and checks the opened track's label before handing the stream
 * out. With no allowed device connected it fails with NotFoundError and a
 * message naming the policy. Chromium gives main no device identity in its
 * permission requests, so this is where a device can be told apart; main
 * still grants media only to our origin (security/permissions).
 */
export interface DevicePolicy { cameras: readonly string[]; microphones: readonly string[] }

/** "Default - Jabra Evolve2 65" is Chromium's alias of "Jabra Evolve2 65". */
const realLabel = (label: string) => label.replace(/^(Default|Communications) - /, '').trim();

export function labelAllowed(label: string, patterns: readonly string[]): boolean {
  if (!patterns.length) return true;
  const l = realLabel(label).toLowerCase();
  if (!l) return false; // a device whose name is hidden cannot be shown to be allowed
  return patterns.some((raw) => {
    const p = raw.trim().toLowerCase();
    return p.endsWith('*') ? l.startsWith(p.slice(0, -1)) : l === p;
  });
}

type Kind = 'audioinput' | 'videoinput';
const patternsFor = (p: DevicePolicy, kind: string): readonly string[] | null =>
  kind === 'audioinput' ? p.microphones : kind === 'videoinput' ? p.cameras : null;

export function filterDevices<D extends { kind: string; label: string }>(devices: readonly D[], p: DevicePolicy): D[] {
  return devices.filter((d) => { const pat = patternsFor(p, d.kind); return !pat || labelAllowed(d.label, pat); });
}

/** The deviceId a constraint asks for (string, {exact}, {ideal}, or the first of a list), or null. */
function askedId(c: MediaTrackConstraints | boolean | undefined): string | null {
  if (!c || c === true) return null;
  const d = c.deviceId;
  if (typeof d === 'string') return d;
  if (Array.isArray(d)) return d[0] ?? null;
  if (d && typeof d === 'object') {
    const v = (d as ConstrainDOMStringParameters).exact ?? (d as ConstrainDOMStringParameters).ideal;
    return typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? null : null;
  }
  return null;
}

export class DevicePolicyError extends Error {
  override name = 'NotFoundError';
}

export function installDevicePolicy(md: MediaDevices, policy: DevicePolicy): void {
  if (!policy.cameras.length && !policy.microphones.length) return;
  const enumerate = md.enumerateDevices.bind(md);
  const open = md.getUserMedia.bind(md);

  /** Inputs of one kind with their labels; labels are hidden until the page has opened a device once. */
  async function inputs(kind: Kind): Promise<MediaDeviceInfo[]> {
    let list = (await enumerate()).filter((d) => d.kind === kind);
    if (list.length && list.every((d) => !d.label)) {
      const probe = await open(kind === 'audioinput' ? { audio: true } : { video: true });
      probe.getTracks().forEach((t) => t.stop());
      list = (await enumerate()).filter((d) => d.kind === kind);
    }
    return list;
  }

  async function pin(kind: Kind, c: MediaTrackConstraints | boolean): Promise<MediaTrackConstraints> {
    const pat = patternsFor(policy, kind)!;
    const list = await inputs(kind);
    const want = askedId(c);
    const asked = want ? list.find((d) => d.deviceId === want) : undefined;
    // An alias ('default') stands for the real device with the same name.
    const chosen = (asked && labelAllowed(asked.label, pat) ? (asked.deviceId === 'default' || asked.deviceId === 'communications' ? list.find((d) => d.deviceId !== asked.deviceId && realLabel(d.label) === realLabel(asked.label)) ?? asked : asked) : undefined)
      ?? list.find((d) => d.deviceId !== 'default' && d.deviceId !== 'communications' && labelAllowed(d.label, pat));
    if (!chosen) throw new DevicePolicyError(`no ${kind === 'audioinput' ? 'microphone' : 'camera'} allowed by your organisation is connected (${kind === 'audioinput' ? 'AllowedMicrophones' : 'AllowedCameras'})`);
    return { ...(typeof c === 'object' ? c : {}), deviceId: { exact: chosen.deviceId } };
  }

  md.enumerateDevices = async () => filterDevices(await enumerate(), policy);
  md.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const c: MediaStreamConstraints = { ...(constraints ?? {}) };
    if (c.audio && policy.microphones.length) c.audio = await pin('audioinput', c.audio);
    if (c.video && policy.cameras.length) c.video = await pin('videoinput', c.video);
    const stream = await open(c);
    // The device that actually opened must be an allowed one (ids can be reused after a replug).
    const bad = stream.getTracks().find((t) => { const pat = patternsFor(policy, t.kind === 'audio' ? 'audioinput' : 'videoinput'); return !!pat && !labelAllowed(t.label, pat); });
    if (bad) {
      stream.getTracks().forEach((t) => t.stop());
      throw new DevicePolicyError(`the ${bad.kind === 'audio' ? 'microphone' : 'camera'} "${bad.label}" is not allowed by your organisation`);
    }
    return stream;
  };
}
