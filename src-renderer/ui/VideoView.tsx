import { useEffect, useRef, type ReactNode } from 'react';
import { useMediaStream } from './media-element';

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
  useMediaStream(ref, stream, sinkId);
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
