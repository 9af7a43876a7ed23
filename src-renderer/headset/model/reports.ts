/**
 * Reading controls out of an input report and writing the LED output
 * report, bit for bit (HID packs fields little-endian, least significant bit
 * first, from the byte after the report id).
 */
import type { FieldPos, TelephonyLayout } from './descriptor';
import type { InputControl, LedName } from './usages';

export function readBits(data: Uint8Array, offset: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size && i < 32; i++) {
    const bit = offset + i;
    const byte = data[bit >> 3];
    if (byte === undefined) return v;
    if ((byte >> (bit & 7)) & 1) v += 2 ** i;
  }
  return v;
}

export function writeBits(data: Uint8Array, offset: number, size: number, value: number): void {
  for (let i = 0; i < size && i < 32; i++) {
    const bit = offset + i;
    const idx = bit >> 3;
    if (idx >= data.length) return;
    const on = Math.floor(value / 2 ** i) % 2 === 1;
    data[idx] = on ? (data[idx]! | (1 << (bit & 7))) : (data[idx]! & ~(1 << (bit & 7)));
  }
}

function fieldOn(f: FieldPos, data: Uint8Array): boolean {
  if (f.array) {
    for (let s = 0; s < f.array.count; s++) if (readBits(data, f.bitOffset + s * f.bitSize, f.bitSize) === f.array.index) return true;
    return false;
  }
  return readBits(data, f.bitOffset, f.bitSize) !== 0;
}

/** The controls carried by this report (only those; other reports say nothing about the rest). */
export function readControls(layout: TelephonyLayout, reportId: number, data: Uint8Array): Partial<Record<InputControl, boolean>> {
  const out: Partial<Record<InputControl, boolean>> = {};
  for (const [name, f] of Object.entries(layout.inputs) as Array<[InputControl, FieldPos]>) {
    if (f.reportId === reportId) out[name] = fieldOn(f, data);
  }
  return out;
}

export type LedState = Record<LedName, boolean>;
export interface OutputReport { reportId: number; data: Uint8Array }

/**
 * The output report(s) that set every LED the device has to `leds`. Bits we
 * do not drive are written 0; one report per report id, in report-id order.
 */
export function ledReports(layout: TelephonyLayout, leds: LedState): OutputReport[] {
  const byId = new Map<number, Uint8Array>();
  for (const [name, f] of Object.entries(layout.leds) as Array<[LedName, FieldPos]>) {
    let data = byId.get(f.reportId);
    if (!data) { data = new Uint8Array(layout.outputBytes[f.reportId] ?? Math.ceil((f.bitOffset + f.bitSize) / 8)); byId.set(f.reportId, data); }
    writeBits(data, f.bitOffset, f.bitSize, leds[name] ? 1 : 0);
  }
  return [...byId.entries()].sort((a, b) => a[0] - b[0]).map(([reportId, data]) => ({ reportId, data }));
}
