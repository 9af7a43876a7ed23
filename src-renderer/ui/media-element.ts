/**
 * A media element (<video> or <audio>) bound to a MediaStream and played, on the output
 * device `sinkId` where one is given. VideoView and StreamAudio share it, so the agent's
 * chosen headset applies to every voice the same way (the binding itself: media-stream.ts).
 */
import { useEffect, type RefObject } from 'react';
import { applySinkId, attachStream } from './media-stream';

export function useMediaStream(ref: RefObject<HTMLMediaElement | null>, stream: MediaStream | null, sinkId?: string | null): void {
  useEffect(() => {
    if (ref.current) attachStream(ref.current, stream);
  }, [ref, stream]);
  useEffect(() => {
    if (ref.current) applySinkId(ref.current, sinkId);
  }, [ref, sinkId]);
}
