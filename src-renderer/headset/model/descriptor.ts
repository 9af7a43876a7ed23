/**
 * Where each telephony control and LED sits in a headset's reports, found
 * from the report descriptor as WebHID exposes it (HIDDevice.collections).
 * The shapes below are the serialisable subset of WebHID's HIDCollectionInfo /
 * HIDReportInfo / HIDReportItem we read, so layouts can be built in tests
 * and replayed in Node.
 */
import { INPUT_USAGES, LED_USAGES, TELEPHONY_PAGE, type InputControl, type LedName } from './usages';

export interface ReportItem {
  isAbsolute?: boolean;
  isArray?: boolean;
  isConstant?: boolean;
  isRange?: boolean;
  /** Extended usages (page << 16 | id), one per field; the last repeats for the rest. */
  usages?: readonly number[];
  usageMinimum?: number;
  usageMaximum?: number;
  reportSize: number;
  reportCount: number;
  logicalMinimum?: number;
  logicalMaximum?: number;
}
export interface ReportInfo { reportId: number; items?: readonly ReportItem[] }
export interface CollectionInfo {
  usagePage: number;
  usage: number;
  type?: number;
  children?: readonly CollectionInfo[];
  inputReports?: readonly ReportInfo[];
  outputReports?: readonly ReportInfo[];
  featureReports?: readonly ReportInfo[];
}

/** One control's bits in a report (data after the report id byte). */
export interface FieldPos {
  reportId: number;
  bitOffset: number;
  bitSize: number;
  isAbsolute: boolean;
  /** For array items: the field holds a usage index; `count` slots from bitOffset, `index` is ours. */
  array?: { count: number; index: number };
}

export interface TelephonyLayout {
  inputs: Partial<Record<InputControl, FieldPos>>;
  leds: Partial<Record<LedName, FieldPos>>;
  /** Byte length of every output report that carries one of our LEDs. */
  outputBytes: Record<number, number>;
}

/** The first top-level collection on the telephony page (a headset has one). */
export function telephonyCollection(collections: readonly CollectionInfo[]): CollectionInfo | null {
  return collections.find((c) => c.usagePage === TELEPHONY_PAGE) ?? null;
}

/**
 * Reports of a collection and its children, merged by report id in
 * depth-first order (the order the descriptor declares them in).
 */
function reportsOf(c: CollectionInfo, kind: 'inputReports' | 'outputReports'): Map<number, ReportItem[]> {
  const out = new Map<number, ReportItem[]>();
  const walk = (col: CollectionInfo) => {
    for (const r of col[kind] ?? []) {
      const list = out.get(r.reportId) ?? [];
      list.push(...(r.items ?? []));
      out.set(r.reportId, list);
    }
    for (const ch of col.children ?? []) walk(ch);
  };
  walk(c);
  return out;
}

function usageAt(item: ReportItem, field: number): number | null {
  if (item.isRange) {
    if (item.usageMinimum === undefined || item.usageMaximum === undefined) return null;
    const u = item.usageMinimum + field;
    return u <= item.usageMaximum ? u : item.usageMaximum;
  }
  const us = item.usages ?? [];
  if (!us.length) return null;
  return us[Math.min(field, us.length - 1)]!;
}

/** The usages an array item can report, and the value (index) meaning each. */
function arrayUsages(item: ReportItem): Array<{ usage: number; index: number }> {
  const min = item.logicalMinimum ?? 0;
  if (item.isRange && item.usageMinimum !== undefined && item.usageMaximum !== undefined) {
    const out = [];
    for (let u = item.usageMinimum; u <= item.usageMaximum && out.length < 256; u++) out.push({ usage: u, index: min + (u - item.usageMinimum) });
    return out;
  }
  return (item.usages ?? []).map((usage, i) => ({ usage, index: min + i }));
}

function locate(reports: Map<number, ReportItem[]>, wanted: ReadonlyMap<number, string>, arrays: boolean): { found: Map<string, FieldPos>; bytes: Map<number, number> } {
  const found = new Map<string, FieldPos>();
  const bytes = new Map<number, number>();
  for (const [reportId, items] of reports) {
    let offset = 0;
    for (const item of items) {
      const size = item.reportSize;
      const count = item.reportCount;
      if (!item.isConstant) {
        if (item.isArray) {
          if (arrays) {
            for (const { usage, index } of arrayUsages(item)) {
              const name = wanted.get(usage);
              if (name && !found.has(name)) found.set(name, { reportId, bitOffset: offset, bitSize: size, isAbsolute: true, array: { count, index } });
            }
          }
        } else {
          for (let f = 0; f < count; f++) {
            const u = usageAt(item, f);
            const name = u === null ? undefined : wanted.get(u);
            if (name && !found.has(name)) found.set(name, { reportId, bitOffset: offset + f * size, bitSize: size, isAbsolute: item.isAbsolute ?? true });
          }
        }
      }
      offset += size * count;
    }
    bytes.set(reportId, Math.ceil(offset / 8));
  }
  return { found, bytes };
}

/** The layout of a device's telephony controls and LEDs, or null when it has no telephony collection. */
export function telephonyLayout(collections: readonly CollectionInfo[]): TelephonyLayout | null {
  const tel = telephonyCollection(collections);
  if (!tel) return null;
  const inWanted = new Map<number, string>(Object.entries(INPUT_USAGES).map(([k, u]) => [u, k]));
  const outWanted = new Map<number, string>(Object.entries(LED_USAGES).map(([k, u]) => [u, k]));
  const input = locate(reportsOf(tel, 'inputReports'), inWanted, true);
  // LEDs are written, so only variable (bit-field) items can be driven.
  const output = locate(reportsOf(tel, 'outputReports'), outWanted, false);
  const leds = Object.fromEntries(output.found) as TelephonyLayout['leds'];
  const outputBytes: Record<number, number> = {};
  for (const f of Object.values(leds)) if (f) outputBytes[f.reportId] = output.bytes.get(f.reportId) ?? 0;
  return { inputs: Object.fromEntries(input.found) as TelephonyLayout['inputs'], leds, outputBytes };
}
