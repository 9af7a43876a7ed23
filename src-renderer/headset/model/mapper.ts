/**
 * The headset's call control as a pure reducer: input reports in, call
 * actions and LED reports out. The app stays the authority: the glue applies
 * the actions to the call, and the call's real state comes back through
 * `syncView`, which rewrites the LEDs if the app did something else.
 *
 * Conventions (HID Usage Tables, Telephony page; and how Jabra/Poly headsets
 * behave in practice):
 *  - Hook Switch reported absolute is the device's hook *state*; relative, a
 *    toggle press. An absolute report equal to the call's state is a
 *    duplicate (some headsets repeat it seconds later) and does nothing.
 *  - Phone Mute reported relative is a press (1) and release (0): only the
 *    0 -> 1 edge toggles, so a repeated "1" is never a second press.
 *    Reported absolute it is the device's mute state: only a difference
 *    from the app's mute changes anything.
 *  - After any report that moves a control, the LEDs are written back
 *    (Off-Hook, Mute, Ring, Hold): a headset whose host does not echo the
 *    Off-Hook / Mute LED reverts its own state.
 */
import type { TelephonyLayout } from './descriptor';
import { ledReports, readControls, type LedState, type OutputReport } from './reports';
import type { InputControl } from './usages';

export type HeadsetPhase = 'idle' | 'ringing' | 'active';
/** What the headset shows; derived from the app's call (see call-view.ts). */
export interface CallView { phase: HeadsetPhase; muted: boolean; held: boolean }

export type HeadsetAction =
  | { type: 'answer' }
  | { type: 'hangUp' }
  | { type: 'setMuted'; muted: boolean }
  | { type: 'toggleHold' };

export interface MapperState {
  view: CallView;
  /** Last raw value of each control, for press edges. */
  pressed: Partial<Record<InputControl, boolean>>;
  /** The LEDs last written, or null before the first write. */
  sent: LedState | null;
}

export function initialMapperState(view: CallView): MapperState {
  return { view, pressed: {}, sent: null };
}

export function ledsFor(v: CallView): LedState {
  return { offHook: v.phase === 'active', mute: v.muted, ring: v.phase === 'ringing', hold: v.phase === 'active' && v.held };
}

const sameLeds = (a: LedState | null, b: LedState) => !!a && a.offHook === b.offHook && a.mute === b.mute && a.ring === b.ring && a.hold === b.hold;

export interface InputResult { state: MapperState; actions: HeadsetAction[]; reports: OutputReport[] }

export function handleInputReport(layout: TelephonyLayout, st: MapperState, reportId: number, data: Uint8Array): InputResult {
  const c = readControls(layout, reportId, data);
  const actions: HeadsetAction[] = [];
  let view = st.view;
  const pressed = { ...st.pressed };
  let moved = false;
  const edge = (name: InputControl): boolean => {
    const v = c[name];
    if (v === undefined) return false;
    const was = pressed[name] ?? false;
    pressed[name] = v;
    return v && !was;
  };

  const hook = layout.inputs.hookSwitch;
  if (hook && c.hookSwitch !== undefined) {
    const press = edge('hookSwitch');
    let wantOff: boolean | null = null;
    if (hook.isAbsolute) wantOff = c.hookSwitch;
    else if (press) wantOff = view.phase !== 'active';
    if (wantOff !== null) {
      if (wantOff !== (view.phase === 'active')) moved = true;
      if (wantOff && view.phase === 'ringing') { actions.push({ type: 'answer' }); view = { ...view, phase: 'active' }; }
      else if (!wantOff && view.phase === 'active') { actions.push({ type: 'hangUp' }); view = { ...view, phase: 'idle', held: false }; }
    }
  }

  const mute = layout.inputs.phoneMute;
  if (mute && c.phoneMute !== undefined) {
    const press = edge('phoneMute');
    let want: boolean | null = null;
    if (mute.isAbsolute) { if (c.phoneMute !== view.muted) want = c.phoneMute; }
    else if (press) want = !view.muted;
    if (want !== null) { moved = true; actions.push({ type: 'setMuted', muted: want }); view = { ...view, muted: want }; }
  }

  if (layout.inputs.flash && edge('flash') && view.phase === 'active') {
    moved = true;
    actions.push({ type: 'toggleHold' });
    view = { ...view, held: !view.held };
  }
  if (layout.inputs.redial) edge('redial');

  const leds = ledsFor(view);
  // Echo whenever a control moved (even if the app's state did not: the device must be told it did not).
  const reports = moved || !sameLeds(st.sent, leds) ? ledReports(layout, leds) : [];
  return { state: { view, pressed, sent: reports.length ? leds : st.sent }, actions, reports };
}

/** The app's call changed (or the device was just opened): write the LEDs if they differ from what the device shows. */
export function syncView(layout: TelephonyLayout, st: MapperState, view: CallView, force = false): { state: MapperState; reports: OutputReport[] } {
  const leds = ledsFor(view);
  if (!force && sameLeds(st.sent, leds)) return { state: { ...st, view }, reports: [] };
  return { state: { ...st, view, sent: leds }, reports: ledReports(layout, leds) };
}
