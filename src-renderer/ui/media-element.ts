/**
 * A media element (<video> or <audio>) bound to a MediaStream and played, on the output
 * device `sinkId` where one is given. VideoView and StreamAudio share it, so the agent's
 * chosen headset applies to every voice the same way.
 */
import { useEffect, type RefObject } from 'react';

type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

export function useMediaStream(ref: RefObject<HTMLMediaElement | null>, stream: MediaStream | null, sinkId?: string | null): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) el.play().catch(() => { /* autoplay blocked: the next user gesture starts it */ });
  }, [ref, stream]);
  useEffect(() => {
    const el = ref.current as SinkElement | null;
    if (!el || sinkId === undefined || sinkId === null || typeof el.setSinkId !== 'function') return;
    el.setSinkId(sinkId).catch((err: Error) => console.warn('setSinkId failed', err.message));
  }, [ref, sinkId]);
}
