/**
 * A remote voice in an <audio> element: the stream attached, playback started, and on the
 * agent's desk the output device the agent chose (setSinkId), so a colleague's or a
 * technician's voice comes out of the same headset as the customer's.
 */
import { useEffect, useRef } from 'react';

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
  useEffect(() => {
    const a = ref.current;
    if (!a) return;
    a.srcObject = stream;
    if (stream) a.play().catch(() => {});
  }, [stream]);
  useEffect(() => {
    const a = ref.current as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (!a || sinkId === undefined || sinkId === null || typeof a.setSinkId !== 'function') return;
    a.setSinkId(sinkId).catch((err: Error) => console.warn('setSinkId failed', err.message));
  }, [sinkId]);
  return <audio ref={ref} data-testid={testId} {...(memberId ? { 'data-member': memberId } : {})} autoPlay />;
}
