/**
 * A test rig that wires the pure mapper the way the WebHID glue does: the
 * device's input report goes through handleInputReport, the app applies the
 * actions (it is the authority), its state comes back through syncView, and
 * every LED report is "sent" to a simulated headset that shows what it was
 * last told.
 */
import {
  handleInputReport, initialMapperState, syncView, telephonyLayout,
  type CallView, type CollectionInfo, type HeadsetAction, type OutputReport, type TelephonyLayout,
} from '../../../src-renderer/headset/model';

export class Rig {
  readonly layout: TelephonyLayout;
  app: CallView;
  state;
  readonly actions: HeadsetAction[] = [];
  readonly sent: OutputReport[] = [];
  /** What the headset shows: the last byte written to each output report. */
  readonly device = new Map<number, Uint8Array>();

  constructor(collections: CollectionInfo[], view: CallView = { phase: 'idle', muted: false, held: false }) {
    const l = telephonyLayout(collections);
    if (!l) throw new Error('no telephony collection');
    this.layout = l;
    this.app = view;
    this.state = initialMapperState(view);
    this.write(syncView(l, this.state, view, true));
  }

  private write(r: { state: Rig['state']; reports: OutputReport[] }) {
    this.state = r.state;
    for (const rep of r.reports) { this.sent.push(rep); this.device.set(rep.reportId, rep.data); }
  }

  /** The device sends an input report (bytes after the report id). */
  input(reportId: number, ...bytes: number[]): HeadsetAction[] {
    const r = handleInputReport(this.layout, this.state, reportId, Uint8Array.from(bytes));
    this.write(r);
    for (const a of r.actions) this.applyAction(a);
    return r.actions;
  }

  private applyAction(a: HeadsetAction) {
    this.actions.push(a);
    if (a.type === 'answer') this.app = { ...this.app, phase: 'active' };
    if (a.type === 'hangUp') this.app = { ...this.app, phase: 'idle', held: false };
    if (a.type === 'setMuted') this.app = { ...this.app, muted: a.muted };
    if (a.type === 'toggleHold') this.app = { ...this.app, held: !this.app.held };
    this.write(syncView(this.layout, this.state, this.app));
  }

  /** The app changes by itself (a click, the customer hanging up, a contact offered). */
  appSets(patch: Partial<CallView>) {
    this.app = { ...this.app, ...patch };
    this.write(syncView(this.layout, this.state, this.app));
  }

  /** The LED bit the device shows for a field. */
  led(name: keyof TelephonyLayout['leds']): boolean {
    const f = this.layout.leds[name];
    if (!f) throw new Error(`no ${name} LED`);
    const data = this.device.get(f.reportId);
    return !!data && ((data[f.bitOffset >> 3]! >> (f.bitOffset & 7)) & 1) === 1;
  }
}
