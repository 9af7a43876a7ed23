/**
 * Report descriptors of two headset families as WebHID exposes them
 * (HIDDevice.collections). No headset can be plugged into the build
 * machines, so these are written by hand after the structure of published
 * descriptors and vendor SDK notes, not dumped from hardware:
 *
 *  - JABRA_LIKE: Jabra Evolve/Engage style (as in the Chromium team's
 *    jabra-webhid-demo and Jabra's integration notes): one report id (2)
 *    for input and LEDs; Hook Switch absolute, Phone Mute / Flash / Redial
 *    relative (press 1, release 0), three pad bits and a 4-bit keypad array;
 *    LEDs Off-Hook, Mute, Ring, Hold, Microphone in bits 0-4 of one byte.
 *    A second output report (3) carries the Ringer (telephony page), which
 *    we do not drive.
 *  - POLY_LIKE: Poly/Plantronics Blackwire style (after the HP/Poly WebHID
 *    SDK): input report 8 with a vendor byte first, Hook Switch absolute,
 *    Flash relative, Phone Mute *absolute* (the device keeps its own mute
 *    state); LEDs in a child collection, output report 9: Ring bit 0,
 *    Off-Hook bit 1, Mute bit 2 (one two-field item), a pad bit, Hold bit 4.
 */
import type { CollectionInfo } from '../../../src-renderer/headset/model';

const T = (id: number) => (0x0b << 16) | id;
const L = (id: number) => (0x08 << 16) | id;

export const JABRA_LIKE: CollectionInfo[] = [
  { usagePage: 0x0c, usage: 0x01, inputReports: [{ reportId: 1, items: [{ usages: [(0x0c << 16) | 0xe9], reportSize: 1, reportCount: 1, isAbsolute: false }] }] },
  {
    usagePage: 0x0b, usage: 0x05, type: 1,
    inputReports: [{ reportId: 2, items: [
      { usages: [T(0x20)], reportSize: 1, reportCount: 1, isAbsolute: true },
      { usages: [T(0x97)], reportSize: 1, reportCount: 1, isAbsolute: true },
      { usages: [T(0x2f)], reportSize: 1, reportCount: 1, isAbsolute: false },
      { usages: [T(0x21)], reportSize: 1, reportCount: 1, isAbsolute: false },
      { usages: [T(0x24)], reportSize: 1, reportCount: 1, isAbsolute: false },
      { isConstant: true, reportSize: 1, reportCount: 3 },
      { isArray: true, isRange: true, usageMinimum: T(0xb0), usageMaximum: T(0xbb), logicalMinimum: 1, logicalMaximum: 12, reportSize: 4, reportCount: 1 },
      { isConstant: true, reportSize: 4, reportCount: 1 },
    ] }],
    outputReports: [
      { reportId: 2, items: [
        { usages: [L(0x17)], reportSize: 1, reportCount: 1 },
        { usages: [L(0x09)], reportSize: 1, reportCount: 1 },
        { usages: [L(0x18)], reportSize: 1, reportCount: 1 },
        { usages: [L(0x20)], reportSize: 1, reportCount: 1 },
        { usages: [L(0x21)], reportSize: 1, reportCount: 1 },
        { isConstant: true, reportSize: 1, reportCount: 3 },
      ] },
      { reportId: 3, items: [{ usages: [T(0x9e)], reportSize: 1, reportCount: 1 }, { isConstant: true, reportSize: 7, reportCount: 1 }] },
    ],
  },
];

export const POLY_LIKE: CollectionInfo[] = [
  {
    usagePage: 0x0b, usage: 0x05, type: 1,
    inputReports: [{ reportId: 8, items: [
      { isConstant: true, reportSize: 8, reportCount: 1 },
      { usages: [T(0x20)], reportSize: 1, reportCount: 1, isAbsolute: true },
      { usages: [T(0x21)], reportSize: 1, reportCount: 1, isAbsolute: false },
      { usages: [T(0x2f)], reportSize: 1, reportCount: 1, isAbsolute: true },
      { isConstant: true, reportSize: 5, reportCount: 1 },
    ] }],
    children: [{
      usagePage: 0x08, usage: 0x00, type: 2,
      outputReports: [{ reportId: 9, items: [
        { usages: [L(0x18)], reportSize: 1, reportCount: 1 },
        { usages: [L(0x17), L(0x09)], reportSize: 1, reportCount: 2 },
        { isConstant: true, reportSize: 1, reportCount: 1 },
        { usages: [L(0x20)], reportSize: 1, reportCount: 1 },
        { isConstant: true, reportSize: 3, reportCount: 1 },
      ] }],
    }],
  },
];

/** A headset whose hook button is a toggle (relative), with no report id (0). */
export const TOGGLE_HOOK: CollectionInfo[] = [
  {
    usagePage: 0x0b, usage: 0x05,
    inputReports: [{ reportId: 0, items: [
      { usages: [T(0x20), T(0x2f)], reportSize: 1, reportCount: 2, isAbsolute: false },
      { isConstant: true, reportSize: 6, reportCount: 1 },
    ] }],
    outputReports: [{ reportId: 0, items: [
      { usages: [L(0x09), L(0x17)], reportSize: 1, reportCount: 2 },
      { isConstant: true, reportSize: 6, reportCount: 1 },
    ] }],
  },
];
