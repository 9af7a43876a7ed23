/**
 * A mode onto the live senders: RTCRtpSender.setParameters changes the encoder's
 * bitrate cap, scale, frame rate and on/off without renegotiation. Audio gets the
 * high priority (DSCP and the bandwidth split inside the sender), so under pressure
 * the video yields first.
 */
import { audioEncoding, scaleFor, videoEncoding, type Mode } from './modes';
import { LAUNCH_MAX_HEIGHT } from './launch';

type Params = RTCRtpSendParameters & { degradationPreference?: string };
type Enc = RTCRtpEncodingParameters & { priority?: RTCPriorityType; networkPriority?: RTCPriorityType; maxFramerate?: number };

async function setEncoding(sender: RTCRtpSender, edit: (e: Enc, p: Params) => void): Promise<boolean> {
  const p = sender.getParameters() as Params;
  if (!p.encodings || p.encodings.length === 0) return false; // not negotiated yet
  edit(p.encodings[0] as Enc, p);
  try {
    await sender.setParameters(p);
  } catch (err) {
    // Browsers that do not take degradationPreference here refuse the whole call: retry without it.
    if (p.degradationPreference === undefined) throw err;
    delete p.degradationPreference;
    await sender.setParameters(p);
  }
  return true;
}

export interface ApplyOptions {
  /** The link is launching (launch.ts): talk mode's video goes at most LAUNCH_MAX_HEIGHT high. */
  launch?: boolean;
  /** The height of the video track about to go onto the sender (set before replaceTrack, so its first frame is already scaled). */
  trackHeight?: number | null;
}

/** True when every sender took its parameters (false: try again on the next reading). */
export async function applyMode(pc: RTCPeerConnection, mode: Mode, billReading: boolean, opts: ApplyOptions = {}): Promise<boolean> {
  let done = true;
  const v = videoEncoding(mode, billReading);
  const maxHeight = opts.launch && !billReading ? Math.min(v.maxHeight, LAUNCH_MAX_HEIGHT) : v.maxHeight;
  const a = audioEncoding(mode);
  for (const sender of pc.getSenders()) {
    const track = sender.track;
    if (!track) continue;
    try {
      if (track.kind === 'video') {
        const h = opts.trackHeight ?? track.getSettings().height ?? null;
        done = (await setEncoding(sender, (e, p) => {
          e.active = v.active;
          if (v.active) {
            e.maxBitrate = v.maxBitrateBps;
            e.scaleResolutionDownBy = scaleFor(h, maxHeight);
            e.maxFramerate = v.maxFramerate;
          }
          e.priority = 'low';
          e.networkPriority = 'low';
          p.degradationPreference = v.degradationPreference;
        })) && done;
      } else if (track.kind === 'audio') {
        done = (await setEncoding(sender, (e) => {
          e.maxBitrate = a.maxBitrateBps;
          e.priority = 'high';
          e.networkPriority = 'high';
        })) && done;
      }
    } catch (err) {
      // A sender mid-negotiation refuses parameters; the next reading applies them again.
      console.warn('quality: sender parameters not applied', (err as Error).message);
      done = false;
    }
  }
  return done;
}

/** The agent's voice cap (voice-cap.ts) onto its audio sender; false: not negotiated yet, try again. */
export async function applyVoiceCap(pc: RTCPeerConnection, capBps: number): Promise<boolean> {
  const sender = pc.getSenders().find((x) => x.track?.kind === 'audio');
  if (!sender) return false;
  try {
    return await setEncoding(sender, (e) => {
      e.maxBitrate = capBps;
      e.priority = 'high';
      e.networkPriority = 'high';
    });
  } catch (err) {
    console.warn('quality: voice cap not applied', (err as Error).message);
    return false;
  }
}

const ids = new WeakMap<RTCPeerConnection, number>();
let nextId = 1;
/** A small id per peer connection, so a parameter set is applied again on a new peer. */
export function pcId(pc: RTCPeerConnection): number {
  let id = ids.get(pc);
  if (id === undefined) { id = nextId++; ids.set(pc, id); }
  return id;
}
