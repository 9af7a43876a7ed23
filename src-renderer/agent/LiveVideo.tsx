import type { ReactNode } from 'react';
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
