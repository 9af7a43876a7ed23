import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A <video> bound to a MediaStream, with an overlay layer sized to the video
 * box (annotation stages mount there). `onVideoElement` hands the element to
 * whoever needs it (overlay, stills, tests).
 */
export function VideoView(props: {
  stream: MediaStream | null;
  muted?: boolean;
  mirrored?: boolean;
  sinkId?: string | null;
  className?: string;
  testId?: string;
  onVideoElement?: (el: HTMLVideoElement | null) => void;
  children?: ReactNode;
  placeholder?: ReactNode;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const { stream, sinkId, onVideoElement } = props;
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    if (v.srcObject !== stream) v.srcObject = stream;
    if (stream) v.play().catch(() => { /* autoplay blocked: the next user gesture starts it */ });
  }, [stream]);
  useEffect(() => {
    const v = ref.current as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (!v || sinkId === undefined || sinkId === null || typeof v.setSinkId !== 'function') return;
    v.setSinkId(sinkId).catch((err: Error) => console.warn('setSinkId failed', err.message));
  }, [sinkId]);
  useEffect(() => {
    onVideoElement?.(ref.current);
    return () => onVideoElement?.(null);
  }, [onVideoElement]);
  return (
    <div className={`video-view ${props.className ?? ''}`}>
      <video
        ref={ref}
        data-testid={props.testId}
        autoPlay
        playsInline
        muted={props.muted ?? false}
        style={props.mirrored ? { transform: 'scaleX(-1)' } : undefined}
      />
      {!stream && props.placeholder ? <div className="video-placeholder">{props.placeholder}</div> : null}
      <div className="video-overlay">{props.children}</div>
    </div>
  );
}
