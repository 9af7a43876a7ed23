/** The part of WebHID we use (TypeScript's DOM library does not carry it). */
import type { CollectionInfo } from './model';

export interface HIDDeviceLike extends EventTarget {
  readonly opened: boolean;
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  readonly collections: readonly CollectionInfo[];
  open(): Promise<void>;
  close(): Promise<void>;
  sendReport(reportId: number, data: BufferSource): Promise<void>;
}
export interface HIDInputReportEventLike extends Event { readonly device: HIDDeviceLike; readonly reportId: number; readonly data: DataView }
export interface HIDConnectionEventLike extends Event { readonly device: HIDDeviceLike }
export interface HIDLike extends EventTarget {
  getDevices(): Promise<HIDDeviceLike[]>;
  requestDevice(opts: { filters: Array<{ usagePage?: number; usage?: number; vendorId?: number }> }): Promise<HIDDeviceLike[]>;
}

export function getHid(): HIDLike | null {
  return (typeof navigator !== 'undefined' && (navigator as unknown as { hid?: HIDLike }).hid) || null;
}
