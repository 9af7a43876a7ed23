import { useEffect, useState } from 'react';
import { useLocale } from '../../i18n/react';
import { useStore } from '../../call/observable-store';
import { hasLiveVideo } from '../../call/quality/modes';
import type { AgentQuality } from './agent-quality';
import { tq } from './messages';
import { modeName } from './QualityPanel';

/** No new frame for this long while the call is up: the picture is frozen (the <video> keeps the last one). */
const FROZEN_AFTER_MS = 600;

type VideoWithRvfc = HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number; cancelVideoFrameCallback?: (h: number) => void };

/**
 * Over the live video: a "weak connection" mark when the picture stops moving (the last
 * frame stays on screen under it), within a second, or when the customer's page has paused
 * the live video to keep the call going.
 */
export function WeakConnectionMark({ video, quality, live }: { video: HTMLVideoElement | null; quality: AgentQuality; live: boolean }) {
  useLocale();
  const { status } = useStore(quality.store);
  const [frozen, setFrozen] = useState(false);
  useEffect(() => {
    const v = video as VideoWithRvfc | null;
    if (!v || !live || typeof v.requestVideoFrameCallback !== 'function') { setFrozen(false); return; }
    let last = performance.now();
    let handle = 0;
    let hadFrame = false;
    const onFrame = () => { last = performance.now(); hadFrame = true; handle = v.requestVideoFrameCallback!(onFrame); };
    handle = v.requestVideoFrameCallback(onFrame);
    const timer = setInterval(() => setFrozen(hadFrame && performance.now() - last > FROZEN_AFTER_MS), 150);
    return () => { clearInterval(timer); v.cancelVideoFrameCallback?.(handle); };
  }, [video, live]);
  const paused = live && status !== null && !hasLiveVideo(status.shown);
  if (!live || (!frozen && !paused)) return null;
  return (
    <div className="weak-mark" role="status" data-testid="weak-connection" data-kind={paused ? 'paused' : 'frozen'}>
      {paused ? tq('weakPaused', { mode: modeName(status!.shown) }) : tq('weakFrozen')}
    </div>
  );
}
