import { useEffect, type ReactNode } from 'react';
import { useLocale } from '../i18n/react';
import { VideoView } from '../ui/VideoView';
import { useCall } from './call-context';
import { t } from './messages';
import { WeakConnectionMark } from './quality/WeakConnectionMark';

/**
 * The customer's live video with their audio (same element, so the speaker
 * choice applies via setSinkId). `children` render in the overlay layer,
 * sized to the video box, and are given the <video> element: annotation
 * stages mount there.
 */
export function LiveVideo({ children }: { children?: (video: HTMLVideoElement | null) => ReactNode }) {
  useLocale();
  const { state, call, video, setVideo, sinkId } = useCall();
  const live = !!state.remoteStream && (state.phase === 'connected' || state.phase === 'reconnecting');
  const waitingForFrame = !!video && !!state.remoteStream && state.firstFrameAt === null;
  useEffect(() => {
    // the first frame actually drawn (not just a track that exists): the end of "link sent -> first frame"
    if (!waitingForFrame || !video) return;
    const v = video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number; cancelVideoFrameCallback?: (h: number) => void };
    if (typeof v.requestVideoFrameCallback === 'function') {
      const h = v.requestVideoFrameCallback(() => call.markFirstFrame());
      return () => v.cancelVideoFrameCallback?.(h);
    }
    const onData = () => { if (v.videoWidth > 0) call.markFirstFrame(); };
    v.addEventListener('loadeddata', onData);
    onData();
    return () => v.removeEventListener('loadeddata', onData);
  }, [waitingForFrame, video, call]);
  return (
    <VideoView
      stream={state.remoteStream}
      className="ws-video"
      testId="remote-video"
      sinkId={sinkId}
      muted={state.held}
      onVideoElement={setVideo}
      placeholder={<span>{t('noVideo')}</span>}
    >
      {children?.(video)}
      <WeakConnectionMark video={video} quality={call.quality} live={live} />
    </VideoView>
  );
}
