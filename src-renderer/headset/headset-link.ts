/**
 * The agent's headset over WebHID: finds a telephony device (usage page
 * 0x0B), turns its input reports into call actions through the pure mapper
 * (model/mapper.ts), and keeps its LEDs on the call's state. A headset the
 * agent allowed once is opened again at start and whenever it is plugged
 * back in ('connect'); pulling it out just drops it.
 */
import { createStore, type Store } from '../call/observable-store';
import type { IncomingContact } from '../agent/incoming';
import {
  callView, handleInputReport, initialMapperState, syncView, telephonyLayout, TELEPHONY_PAGE,
  type HeadsetAction, type MapperState, type OutputReport, type TelephonyLayout,
} from './model';
import { getHid, type HIDConnectionEventLike, type HIDDeviceLike, type HIDInputReportEventLike, type HIDLike } from './webhid-types';

/** The part of AgentCall the headset drives (structural, so the glue is tested without a peer). */
export interface HeadsetCall {
  readonly store: Store<{ phase: string; micMuted: boolean; held: boolean }>;
  readonly state: { phase: string; micMuted: boolean; held: boolean };
  hangUp(): void;
  setMicMuted(muted: boolean): void;
  setHeld(held: boolean): void;
}

export interface HeadsetState {
  supported: boolean;
  /** The open headset's product name ('' if it has none), or null when none is open. */
  device: string | null;
  error: string | null;
  /** The last action taken from the headset (diagnostics and tests). */
  lastAction: HeadsetAction['type'] | null;
}

export class HeadsetLink {
  readonly store: Store<HeadsetState>;
  private readonly hid: HIDLike | null;
  private device: HIDDeviceLike | null = null;
  private layout: TelephonyLayout | null = null;
  private mapper: MapperState | null = null;
  private sending: Promise<void> = Promise.resolve();
  private readonly offs: Array<() => void> = [];

  constructor(private readonly call: HeadsetCall, private readonly incoming: IncomingContact, hid: HIDLike | null = getHid()) {
    this.hid = hid;
    this.store = createStore<HeadsetState>({ supported: !!hid, device: null, error: null, lastAction: null });
  }

  private readonly onInput = (e: Event) => {
    const ev = e as HIDInputReportEventLike;
    if (ev.device !== this.device || !this.layout || !this.mapper) return;
    const data = new Uint8Array(ev.data.buffer, ev.data.byteOffset, ev.data.byteLength);
    const r = handleInputReport(this.layout, this.mapper, ev.reportId, data);
    this.mapper = r.state;
    this.send(r.reports);
    for (const a of r.actions) this.apply(a);
    // The app is the authority: if it did not do what the headset asked (refused, or already elsewhere),
    // its store did not change and nothing else would put the LEDs back on its real state.
    if (r.actions.length) this.sync();
  };
  private readonly onConnect = (e: Event) => { if (!this.device) void this.open((e as HIDConnectionEventLike).device); };
  private readonly onDisconnect = (e: Event) => {
    if ((e as HIDConnectionEventLike).device !== this.device) return;
    this.device = null; this.layout = null; this.mapper = null;
    this.store.set({ device: null });
  };

  /** Open a headset the agent allowed before, and watch for it coming and going. */
  async start(): Promise<void> {
    if (!this.hid) return;
    this.hid.addEventListener('connect', this.onConnect);
    this.hid.addEventListener('disconnect', this.onDisconnect);
    this.offs.push(this.call.store.subscribe(() => this.sync()), this.incoming.store.subscribe(() => this.sync()));
    try {
      for (const d of await this.hid.getDevices()) if (await this.open(d)) break;
    } catch (err) { this.store.set({ error: (err as Error).message }); }
  }

  /** The agent's "Connect headset": the browser's (or Electron's) chooser, telephony devices only. Needs a click. */
  async request(): Promise<boolean> {
    if (!this.hid) return false;
    try {
      const picked = await this.hid.requestDevice({ filters: [{ usagePage: TELEPHONY_PAGE }] });
      for (const d of picked) if (await this.open(d)) return true;
      return false;
    } catch (err) {
      this.store.set({ error: (err as Error).message });
      return false;
    }
  }

  private async open(d: HIDDeviceLike): Promise<boolean> {
    const layout = telephonyLayout(d.collections);
    if (!layout) return false;
    try { if (!d.opened) await d.open(); } catch (err) { this.store.set({ error: (err as Error).message }); return false; }
    if (this.device && this.device !== d) this.device.removeEventListener('inputreport', this.onInput);
    this.device = d;
    this.layout = layout;
    const view = this.view();
    this.mapper = initialMapperState(view);
    d.addEventListener('inputreport', this.onInput);
    // '' when the device gives no name: the bar says "headset" in the agent's language.
    this.store.set({ device: d.productName || '', error: null });
    // Tell the headset where the call stands right away.
    const r = syncView(layout, this.mapper, view, true);
    this.mapper = r.state;
    this.send(r.reports);
    return true;
  }

  private view() {
    return callView(this.call.state, this.incoming.store.get().ringing);
  }

  private sync() {
    if (!this.layout || !this.mapper) return;
    const r = syncView(this.layout, this.mapper, this.view());
    this.mapper = r.state;
    this.send(r.reports);
  }

  private send(reports: OutputReport[]) {
    const d = this.device;
    if (!d || !reports.length) return;
    // In order, one at a time: LED reports must not overtake each other.
    this.sending = this.sending.then(async () => {
      for (const r of reports) await d.sendReport(r.reportId, r.data as BufferSource).catch((err: Error) => this.store.set({ error: err.message }));
    });
  }

  private apply(a: HeadsetAction) {
    this.store.set({ lastAction: a.type });
    switch (a.type) {
      case 'answer': this.incoming.answer(); break;
      case 'hangUp': this.call.hangUp(); break;
      case 'setMuted': this.call.setMicMuted(a.muted); break;
      case 'toggleHold': this.call.setHeld(!this.call.state.held); break;
    }
  }

  async dispose(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    this.hid?.removeEventListener('connect', this.onConnect);
    this.hid?.removeEventListener('disconnect', this.onDisconnect);
    this.device?.removeEventListener('inputreport', this.onInput);
    this.device = null;
  }
}
