/**
 * HID usages a telephony headset speaks (USB HID Usage Tables 1.4: Telephony
 * Device page 0x0B, LED page 0x08). WebHID reports usages as 32-bit
 * "extended" values, the page in the upper 16 bits.
 */
export const TELEPHONY_PAGE = 0x0b;
export const LED_PAGE = 0x08;
/** Telephony page, usage 0x05: the Headset application collection. */
export const HEADSET_USAGE = 0x05;

export const Telephony = {
  hookSwitch: 0x20,
  flash: 0x21,
  redial: 0x24,
  phoneMute: 0x2f,
  lineBusyTone: 0x97,
} as const;

export const Led = {
  mute: 0x09,
  offHook: 0x17,
  ring: 0x18,
  hold: 0x20,
  microphone: 0x21,
} as const;

export const ext = (page: number, id: number): number => ((page & 0xffff) << 16 | (id & 0xffff)) >>> 0;
export const pageOf = (u: number): number => (u >>> 16) & 0xffff;
export const idOf = (u: number): number => u & 0xffff;

/** The input controls we act on, and the LEDs we drive. */
export type InputControl = 'hookSwitch' | 'phoneMute' | 'flash' | 'redial';
export type LedName = 'offHook' | 'mute' | 'ring' | 'hold';

export const INPUT_USAGES: Record<InputControl, number> = {
  hookSwitch: ext(TELEPHONY_PAGE, Telephony.hookSwitch),
  phoneMute: ext(TELEPHONY_PAGE, Telephony.phoneMute),
  flash: ext(TELEPHONY_PAGE, Telephony.flash),
  redial: ext(TELEPHONY_PAGE, Telephony.redial),
};
export const LED_USAGES: Record<LedName, number> = {
  offHook: ext(LED_PAGE, Led.offHook),
  mute: ext(LED_PAGE, Led.mute),
  ring: ext(LED_PAGE, Led.ring),
  hold: ext(LED_PAGE, Led.hold),
};
