/**
 * The customer's own media: the camera (or screen) and microphone the page
 * shares, and the stand-in tracks that hold the send slots while the camera
 * is still opening, so the agent's offer can be answered at once.
 */
export type Source = 'camera' | 'screen';

export const videoSize: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

export function canShareScreen(): boolean {
  const phoneLike = /iPhone|iPad|Android|Mobile/.test(navigator.userAgent);
  return !phoneLike && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

/**
 * The agent reads text (bills, serial numbers): tell the encoder to keep
 * resolution and drop frame rate instead when bandwidth or CPU is short.
 */
export function markDetail(s: MediaStream): void {
  for (const t of s.getVideoTracks()) { try { t.contentHint = 'detail'; } catch { /* older browsers */ } }
}

/** Camera (rear by default) or screen, plus the microphone; `onScreenEnded` runs when the browser's own "stop sharing" is pressed. */
export async function acquireMedia(source: Source, onScreenEnded: () => void): Promise<MediaStream> {
  const audio: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  if (source === 'screen') {
    const [screenStream, mic] = await Promise.all([
      navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false }),
      navigator.mediaDevices.getUserMedia({ audio }).catch(() => null),
    ]);
    const s = new MediaStream([...screenStream.getVideoTracks(), ...(mic?.getAudioTracks() ?? [])]);
    markDetail(s);
    screenStream.getVideoTracks()[0]?.addEventListener('ended', onScreenEnded);
    return s;
  }
  const video: MediaTrackConstraints = { facingMode: { ideal: 'environment' }, ...videoSize };
  let s: MediaStream;
  try {
    s = await navigator.mediaDevices.getUserMedia({ video, audio });
  } catch (err) {
    // No (or a refused) microphone should not stop the customer showing the problem.
    if ((err as Error).name !== 'NotAllowedError' && (err as Error).name !== 'NotFoundError') throw err;
    s = await navigator.mediaDevices.getUserMedia({ video });
  }
  markDetail(s);
  return s;
}

/** The next camera after `old` (or the other facing mode), opened after `old` is released: phones often cannot open two at once. */
export async function openNextCamera(old: MediaStreamTrack, facing: 'environment' | 'user'): Promise<MediaStream> {
  const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
  const curId = old.getSettings().deviceId;
  const idx = devices.findIndex((d) => d.deviceId === curId);
  const next = devices.length > 1 ? devices[(idx + 1) % devices.length] : undefined;
  old.stop();
  const fresh = await navigator.mediaDevices.getUserMedia({ video: next?.deviceId ? { deviceId: { exact: next.deviceId }, ...videoSize } : { facingMode: facing, ...videoSize } });
  markDetail(fresh);
  return fresh;
}

const standInAudio = new WeakMap<MediaStream, AudioContext>();

/** Send slots for video and audio before the real media exists: no video frames, silent audio. */
export function standInStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 16; canvas.height = 16;
  const video = canvas.captureStream(0).getVideoTracks();
  let audio: MediaStreamTrack[] = [];
  let ac: AudioContext | null = null;
  try {
    ac = new AudioContext();
    audio = ac.createMediaStreamDestination().stream.getAudioTracks();
  } catch { /* no audio slot: the mic is then added by the agent's next offer */ }
  const s = new MediaStream([...video, ...audio]);
  if (ac) standInAudio.set(s, ac);
  markDetail(s);
  return s;
}

/** The stand-in's audio graph is made while the customer reads (suspended until a gesture); the Start click resumes it. */
export function resumeStandInAudio(s: MediaStream): void {
  void standInAudio.get(s)?.resume().catch(() => {});
}

/** Stop the stand-in's own tracks (the stream object may now carry the real ones) and its audio graph, which would keep the audio thread busy. */
export function disposeStandIn(s: MediaStream, tracks: MediaStreamTrack[]): void {
  for (const t of tracks) t.stop();
  void standInAudio.get(s)?.close().catch(() => {});
  standInAudio.delete(s);
}
