/**
 * The agent's audio devices while they come and go: the call's microphone,
 * the call's speaker/headset and the ringer, each remembered in the main
 * process (audio:getPrefs / audio:setPrefs) with the devices chosen before.
 *
 * On 'devicechange' (bursts coalesced) or the microphone track ending (at once), the
 * devices are listed again and each part goes where model/device-choice.ts
 * says: the chosen device if plugged in, else the next preferred, else the
 * system default. The microphone moves with RTCRtpSender.replaceTrack
 * (AgentCall.setMicDevice: no renegotiation, mute and hold kept); output
 * moves with setSinkId. When the chosen headset comes back, everything goes
 * back to it.
 */
import type { AudioPrefs, AudioProcessing, ProcessingKey } from '../../src-preload/contract/audio';
import { call as invoke } from '../bridge/workstation';
import { createStore, type Store } from '../call/observable-store';
import type { AgentCall } from '../agent/agent-call';
import type { DeviceLike } from '../agent/devices';
import { coalesce } from './model/coalesce';
import { defaultMoved, isPresent, micNeedsSwitch, pushRecent, resolveDevice, type Remembered } from './model/device-choice';
import { noticeFor, type SwitchNotice } from './model/switch-notice';
import type { Ringer } from './ringer';

export interface DeviceSwitch { kind: 'input' | 'output' | 'ringer'; to: string | null; via: string; at: number }

export interface AudioDevicesState {
  devices: DeviceLike[];
  prefs: AudioPrefs | null;
  /** Applied to the call's audio element ('' is the system default). */
  outputSinkId: string;
  /** The ringer's device ('' is the system default). */
  ringerSinkId: string;
  processing: { effective: AudioProcessing; managed: ProcessingKey[] } | null;
  lastSwitch: DeviceSwitch | null;
  /** What to tell the agent about the last time devices came or went (see model/switch-notice.ts). */
  notice: SwitchNotice | null;
}

const rem = (id: string | null | undefined, label: string | null | undefined): Remembered | null => (id ? { id, label: label ?? '' } : null);

export class AudioDevices {
  readonly store: Store<AudioDevicesState> = createStore<AudioDevicesState>({
    devices: [], prefs: null, outputSinkId: '', ringerSinkId: '', processing: null, lastSwitch: null, notice: null,
  });
  private readonly burst = coalesce((firstAt) => { void this.reconcile(firstAt); });
  private chain: Promise<void> = Promise.resolve();
  private watchedTrack: MediaStreamTrack | null = null;
  private readonly offs: Array<() => void> = [];
  private readonly onDeviceChange = () => this.burst.trigger();
  private readonly onTrackEnded = () => this.burst.trigger(true);

  constructor(private readonly call: AgentCall, private readonly ringer: Ringer) {}

  get state(): AudioDevicesState { return this.store.get(); }

  async start(): Promise<void> {
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    this.offs.push(this.call.store.subscribe(() => this.watchTrack()));
    const [prefs, proc] = await Promise.all([invoke('audio:getPrefs', {}), invoke('audio:getProcessing', {})]);
    if (prefs.ok) this.store.set({ prefs: prefs.value });
    if (proc.ok) { this.store.set({ processing: proc.value }); this.call.mic.processing = { ...proc.value.effective }; }
    await this.reconcile();
  }

  dispose(): void {
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.burst.cancel();
    this.watchedTrack?.removeEventListener('ended', this.onTrackEnded);
    for (const off of this.offs.splice(0)) off();
  }

  /** A device unplugged mid-call ends its track (sometimes before 'devicechange'): treat it the same way. */
  private watchTrack() {
    const t = this.call.micTrack;
    if (t === this.watchedTrack) return;
    this.watchedTrack?.removeEventListener('ended', this.onTrackEnded);
    this.watchedTrack = t;
    t?.addEventListener('ended', this.onTrackEnded);
  }

  /**
   * List devices again and put each part where it belongs. Runs one at a time.
   * `eventAt`: devices came or went at this time (not the agent's own choice), so the agent is told where audio went.
   */
  reconcile(eventAt: number | null = null): Promise<void> {
    const next = this.chain.then(() => this.reconcileOnce(eventAt)).catch((err: unknown) => console.warn('audio devices', err));
    this.chain = next;
    return next;
  }

  private async list(): Promise<DeviceLike[]> {
    try {
      return (await navigator.mediaDevices.enumerateDevices()).map((d) => ({ deviceId: d.deviceId, label: d.label, kind: d.kind }));
    } catch { return []; }
  }

  private async reconcileOnce(eventAt: number | null): Promise<void> {
    const devicesMoved = eventAt !== null;
    const t0 = performance.now();
    const devices = await this.list();
    const listed = performance.now();
    const moved: DeviceSwitch[] = [];
    this.store.set({ devices });
    const p = this.state.prefs;

    // The call's speaker/headset first: it only needs the store (the call's element applies it with
    // setSinkId), so a headset pulled out does not leave the customer unheard while its mic reopens.
    const wantOut = resolveDevice(devices, 'audiooutput', rem(p?.outputId, p?.outputLabel), p?.recentOutputs ?? []);
    const out = wantOut.deviceId ?? '';
    if (out !== this.state.outputSinkId) {
      this.store.set({ outputSinkId: out });
      if (devicesMoved) moved.push({ kind: 'output', to: wantOut.deviceId, via: wantOut.via, at: performance.now() });
    }

    // The microphone and the ringer, side by side.
    const mic = async () => {
      const wantIn = resolveDevice(devices, 'audioinput', rem(p?.inputId, p?.inputLabel), p?.recentInputs ?? []);
      this.call.mic.inputDeviceId = wantIn.deviceId;
      const track = this.call.micTrack;
      if (!track) return;
      const current = this.call.state.micDeviceId;
      const ended = track.readyState === 'ended';
      const osMoved = (current === 'default' || current === null) && defaultMoved(devices, 'audioinput', track.label);
      if (!micNeedsSwitch(wantIn, current, isPresent(devices, 'audioinput', current), ended, osMoved)) return;
      const ok = await this.call.setMicDevice(wantIn.deviceId);
      // How long each step took, for diagnostics: the agent's customer hears nothing meanwhile.
      const now = performance.now();
      const since = eventAt !== null ? `${Math.round(now - eventAt)} ms after the first device event (waited ${Math.round(t0 - eventAt)}, listing ${Math.round(listed - t0)}, opening and replacing ${Math.round(now - listed)})` : `in ${Math.round(now - t0)} ms`;
      console.info(`microphone ${ok ? 'moved' : 'could not move'} to ${wantIn.via === 'default' ? 'the system default' : `the ${wantIn.via} device`}${ended ? ' (its track ended)' : ''} ${since}`);
      if (ok) moved.push({ kind: 'input', to: wantIn.deviceId, via: wantIn.via, at: performance.now() });
    };
    // The ringer: its own device, else the system default.
    const ringer = async () => {
      const wantRing = resolveDevice(devices, 'audiooutput', rem(p?.ringerId, p?.ringerLabel));
      const ring = wantRing.deviceId ?? '';
      if (ring === this.state.ringerSinkId && this.ringer.sinkId === ring) return;
      const ok = await this.ringer.setSink(wantRing.deviceId);
      this.store.set({ ringerSinkId: ok ? ring : '' });
      if (devicesMoved) moved.push({ kind: 'ringer', to: ok ? wantRing.deviceId : null, via: ok ? wantRing.via : 'default', at: performance.now() });
    };
    await Promise.all([mic(), ringer()]);
    if (moved.length) {
      for (const m of moved) console.info(`device switch: ${m.kind} to ${m.via}`);
      const notice = noticeFor(moved);
      this.store.set({ lastSwitch: moved[moved.length - 1]!, ...(notice ? { notice } : {}) });
    }
  }

  private async savePrefs(patch: Partial<AudioPrefs>): Promise<void> {
    const r = await invoke('audio:setPrefs', patch);
    this.store.set({ prefs: r.ok ? r.value : { ...(this.state.prefs ?? { inputId: null, inputLabel: null, outputId: null, outputLabel: null }), ...patch } });
  }

  private label(id: string | null): string { return this.state.devices.find((d) => d.deviceId === id)?.label ?? ''; }

  /** The agent picks a microphone (null: system default). A live call moves to it at once. */
  async chooseInput(id: string | null): Promise<void> {
    const label = this.label(id);
    await this.savePrefs({ inputId: id, inputLabel: label || null, ...(id ? { recentInputs: pushRecent(this.state.prefs?.recentInputs ?? [], { id, label }) } : {}) });
    this.call.mic.inputDeviceId = id;
    if (this.call.micTrack) await this.call.setMicDevice(id);
  }

  async chooseOutput(id: string | null): Promise<void> {
    const label = this.label(id);
    await this.savePrefs({ outputId: id, outputLabel: label || null, ...(id ? { recentOutputs: pushRecent(this.state.prefs?.recentOutputs ?? [], { id, label }) } : {}) });
    await this.reconcile();
  }

  async chooseRinger(id: string | null): Promise<void> {
    const label = this.label(id);
    await this.savePrefs({ ringerId: id, ringerLabel: label || null });
    await this.reconcile();
  }

  /** The agent turns one processing stage on or off (refused for a key the policy manages). */
  async setProcessing(key: ProcessingKey, on: boolean): Promise<void> {
    const proc = this.state.processing;
    if (!proc || proc.managed.includes(key)) return;
    await this.savePrefs({ processing: { ...(this.state.prefs?.processing ?? {}), [key]: on } });
    const r = await invoke('audio:getProcessing', {});
    if (!r.ok) return;
    this.store.set({ processing: r.value });
    this.call.mic.processing = { ...r.value.effective };
    // A live microphone reopens with the new processing (replaceTrack again: no renegotiation).
    if (this.call.micTrack) await this.call.setMicDevice(this.call.mic.inputDeviceId);
  }
}
