/**
 * A remote voice in an <audio> element: the stream attached, playback started, and on the
 * agent's desk the output device the agent chose (setSinkId), so a colleague's or a
 * technician's voice comes out of the same headset as the customer's.
 */
import { useRef } from 'react';
import { useMediaStream } from './media-element';

export interface StreamAudioProps {
  stream: MediaStream | null;
  /** Output device id (null or absent: the system's default). */
  sinkId?: string | null;
  testId: string;
  /** The room member whose voice it is (tests and diagnostics). */
  memberId?: string;
}

export function StreamAudio({ stream, sinkId, testId, memberId }: StreamAudioProps) {
  const ref = useRef<HTMLAudioElement>(null);
  useMediaStream(ref, stream, sinkId);
  return <audio ref={ref} data-testid={testId} {...(memberId ? { 'data-member': memberId } : {})} autoPlay />;
}
