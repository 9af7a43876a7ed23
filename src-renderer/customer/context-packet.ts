/**
 * The context packet the customer's browser sends on join: what the agent
 * needs to help (device, browser, locale, where they came from), nothing
 * more. Pure over its inputs so it is unit-tested with real user agents.
 */
import { ContextPacket } from '../../signaling-server/protocol';

export interface ContextInputs {
  userAgent: string;
  /** navigator.userAgentData when the browser has it (Chromium). */
  uaData?: { platform?: string; mobile?: boolean; brands?: Array<{ brand: string; version: string }> } | undefined;
  maxTouchPoints: number;
  screen: { width: number; height: number };
  dpr: number;
  language: string;
  timeZone: string;
  /** location.search of the invite link. */
  search: string;
}

export function detectBrowser(ua: string): string {
  const m = (re: RegExp) => ua.match(re)?.[1];
  let v: string | undefined;
  if ((v = m(/EdgA?\/([\d.]+)/))) return `Edge ${major(v)}`;
  if ((v = m(/SamsungBrowser\/([\d.]+)/))) return `Samsung Internet ${major(v)}`;
  if ((v = m(/(?:OPR|Opera)\/([\d.]+)/))) return `Opera ${major(v)}`;
  if ((v = m(/Firefox\/([\d.]+)/)) || (v = m(/FxiOS\/([\d.]+)/))) return `Firefox ${major(v)}`;
  if ((v = m(/CriOS\/([\d.]+)/))) return `Chrome ${major(v)}`;
  if ((v = m(/(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/))) return `Chrome ${major(v)}`;
  if (/Safari\//.test(ua) && (v = m(/Version\/([\d.]+)/))) return `Safari ${major(v)}`;
  return 'unknown';
}

export function detectOs(ua: string, platform?: string): string {
  let v: string | undefined;
  if ((v = ua.match(/iPhone OS ([\d_]+)/)?.[1] ?? ua.match(/CPU OS ([\d_]+)/)?.[1])) return `iOS ${v.replace(/_/g, '.')}`;
  if ((v = ua.match(/Android ([\d.]+)/)?.[1])) return `Android ${v}`;
  if (/Android/.test(ua)) return 'Android';
  if ((v = ua.match(/Windows NT ([\d.]+)/)?.[1])) return v === '10.0' ? 'Windows 10/11' : `Windows NT ${v}`;
  if ((v = ua.match(/Mac OS X ([\d_.]+)/)?.[1])) return `macOS ${v.replace(/_/g, '.')}`;
  if (/CrOS/.test(ua)) return 'ChromeOS';
  if (/Linux/.test(ua)) return 'Linux';
  return platform ? platform.slice(0, 120) : 'unknown';
}

export function detectDeviceClass(i: Pick<ContextInputs, 'userAgent' | 'uaData' | 'maxTouchPoints' | 'screen'>): ContextPacket['deviceClass'] {
  const ua = i.userAgent;
  if (/iPad|Tablet/.test(ua) || (/Android/.test(ua) && !/Mobile/.test(ua))) return 'tablet';
  // iPadOS 13+ reports itself as a Mac; touch gives it away.
  if (/Macintosh/.test(ua) && i.maxTouchPoints > 1) return 'tablet';
  if (i.uaData?.mobile === true || /iPhone|iPod|Mobile|Android/.test(ua)) return 'phone';
  if (/Windows|Macintosh|Linux|CrOS|X11/.test(ua)) return 'desktop';
  return 'unknown';
}

const major = (v: string) => v.split('.')[0] ?? v;
const clampInt = (n: number) => Math.max(0, Math.min(100_000, Math.round(Number.isFinite(n) ? n : 0)));

export function buildContextPacket(i: ContextInputs): ContextPacket {
  const q = new URLSearchParams(i.search);
  const page = q.get('page');
  const ref = q.get('ref');
  const packet = {
    browser: detectBrowser(i.userAgent).slice(0, 120),
    os: detectOs(i.userAgent, i.uaData?.platform).slice(0, 120),
    deviceClass: detectDeviceClass(i),
    screen: { width: clampInt(i.screen.width), height: clampInt(i.screen.height), dpr: Math.max(0, Math.min(16, Number.isFinite(i.dpr) ? i.dpr : 1)) },
    locale: (i.language || 'und').slice(0, 35),
    timeZone: (i.timeZone || 'UTC').slice(0, 64),
    ...(page ? { page: page.slice(0, 2048) } : {}),
    ...(ref ? { ref: ref.slice(0, 256) } : {}),
  };
  // The schema is the contract: never send what the server would refuse.
  return ContextPacket.parse(packet);
}

/** The real browser's inputs. */
let zone: string | undefined;
type TemporalNow = { Temporal?: { Now?: { timeZoneId?: () => string } } };
/**
 * The IANA zone. Temporal answers in 0.1 ms; the first Intl.DateTimeFormat of a page costs
 * 17–50 ms (ICU's date formatting set-up) for the same answer, so it is only the fallback for
 * browsers without Temporal, and then paid ahead of the Start click (primeContextInputs).
 */
function timeZone(): string {
  return (zone ??= (globalThis as TemporalNow).Temporal?.Now?.timeZoneId?.() || Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** Pay the one slow part of the context packet (a browser without Temporal) while the customer reads the consent step, not inside the Start click. */
export function primeContextInputs(): void {
  timeZone();
}

export function browserContextInputs(): ContextInputs {
  const nav = navigator as Navigator & { userAgentData?: ContextInputs['uaData'] };
  return {
    userAgent: nav.userAgent,
    uaData: nav.userAgentData,
    maxTouchPoints: nav.maxTouchPoints ?? 0,
    screen: { width: screen.width, height: screen.height },
    dpr: devicePixelRatio,
    language: nav.language,
    timeZone: timeZone(),
    search: location.search,
  };
}
