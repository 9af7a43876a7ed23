/**
 * The quality ladder: what each mode sends, and what it needs from the link.
 * Plain data, no DOM: the mode machine (machine.ts) picks a mode, and
 * sender-params.ts turns it into RTCRtpSender parameters.
 */

/** Best first. The last three send no live video: the picture comes as stills or photos, or not at all. */
export const MODES = ['hd', 'sd', 'low', 'stills', 'photo', 'audio'] as const;
export type Mode = (typeof MODES)[number];

export const modeIndex = (m: Mode): number => MODES.indexOf(m);
/** The next mode down (or the same at the bottom). */
export const below = (m: Mode): Mode => MODES[Math.min(MODES.length - 1, modeIndex(m) + 1)]!;
export const hasLiveVideo = (m: Mode): boolean => modeIndex(m) <= modeIndex('low');

/**
 * The sender's bandwidth estimate (kbit/s, all media) each mode needs. Live video modes
 * need their video cap plus audio and headroom; 'stills' needs enough to move a ~200 kB
 * still in ~20 s next to the voice; 'photo' the same for a customer who can wait; below
 * that (a 50 kbit/s uplink) only the voice goes.
 */
export const NEED_KBPS: Record<Mode, number> = { hd: 1100, sd: 480, low: 140, stills: 90, photo: 60, audio: 0 };

export interface VideoEncoding {
  /** false: the video sender sends nothing (stills and photos go over the data channel). */
  active: boolean;
  maxBitrateBps: number;
  /** Largest frame height to send; the sender scales the track down to it (never up). */
  maxHeight: number;
  maxFramerate: number;
  degradationPreference: 'balanced' | 'maintain-resolution' | 'maintain-framerate';
}

export interface AudioEncoding { maxBitrateBps: number }

const OFF: VideoEncoding = { active: false, maxBitrateBps: 0, maxHeight: 0, maxFramerate: 0, degradationPreference: 'balanced' };

/**
 * Conversation: fewer pixels as the link narrows, motion kept. Bill reading: the text needs
 * every pixel, so the resolution stays and the frame rate goes (a bill does not move).
 */
const VIDEO: Record<'talk' | 'bill', Record<Mode, VideoEncoding>> = {
  talk: {
    hd: { active: true, maxBitrateBps: 1_500_000, maxHeight: 720, maxFramerate: 30, degradationPreference: 'balanced' },
    sd: { active: true, maxBitrateBps: 450_000, maxHeight: 360, maxFramerate: 30, degradationPreference: 'balanced' },
    low: { active: true, maxBitrateBps: 100_000, maxHeight: 180, maxFramerate: 15, degradationPreference: 'balanced' },
    stills: OFF, photo: OFF, audio: OFF,
  },
  bill: {
    hd: { active: true, maxBitrateBps: 1_500_000, maxHeight: 4320, maxFramerate: 30, degradationPreference: 'maintain-resolution' },
    sd: { active: true, maxBitrateBps: 450_000, maxHeight: 4320, maxFramerate: 8, degradationPreference: 'maintain-resolution' },
    low: { active: true, maxBitrateBps: 100_000, maxHeight: 4320, maxFramerate: 2, degradationPreference: 'maintain-resolution' },
    stills: OFF, photo: OFF, audio: OFF,
  },
};

/** The voice first: full Opus speech quality while any video goes, a leaner voice only when nothing else is left. */
const AUDIO: Record<Mode, AudioEncoding> = {
  hd: { maxBitrateBps: 40_000 }, sd: { maxBitrateBps: 40_000 }, low: { maxBitrateBps: 28_000 },
  stills: { maxBitrateBps: 28_000 }, photo: { maxBitrateBps: 24_000 }, audio: { maxBitrateBps: 16_000 },
};

export function videoEncoding(mode: Mode, billReading: boolean): VideoEncoding {
  return VIDEO[billReading ? 'bill' : 'talk'][mode];
}

export function audioEncoding(mode: Mode): AudioEncoding { return AUDIO[mode]; }

/** scaleResolutionDownBy for a track of this height (1 = as captured; never upscales). */
export function scaleFor(trackHeight: number | null, maxHeight: number): number {
  if (!trackHeight || trackHeight <= maxHeight) return 1;
  return Math.round((trackHeight / maxHeight) * 100) / 100;
}

/** The least a paced still gets, so it keeps moving on the weakest link the ladder allows. */
export const BULK_FLOOR_KBPS = 24;

/**
 * What a bulk transfer (a still, a photo) may send per second (kbit/s) next to the call, or
 * null when it need not be paced. On a good link (hd) SCTP's own congestion control takes what
 * it finds. Below hd the link is the bottleneck, and SCTP's loss-based control would fill the
 * shaper's queue, knocking the video (and ICE's consent checks) over; so the still gets what
 * the sender's estimate leaves after this mode's video and voice, and never less than a trickle.
 */
export function bulkBudgetKbps(mode: Mode, availableKbps: number | null): number | null {
  if (mode === 'hd') return null;
  const media = (VIDEO.talk[mode].maxBitrateBps + AUDIO[mode].maxBitrateBps) / 1000;
  if (availableKbps === null) return BULK_FLOOR_KBPS;
  return Math.max(BULK_FLOOR_KBPS, Math.round(0.5 * (availableKbps - media)));
}
