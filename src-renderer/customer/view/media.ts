/**
 * The customer page's media elements, plain-DOM twins of ui/VideoView and ui/StreamAudio
 * (same markup and classes, same binding: ui/media-stream.ts).
 */
import { h } from '../../ui/dom';
import { attachStream } from '../../ui/media-stream';

export interface VideoViewEl {
  /** The .video-view box. */
  el: HTMLDivElement;
  video: HTMLVideoElement;
  /** Sized to the video box: overlays (annotation, stills) mount here. */
  overlay: HTMLDivElement;
}

/** A muted, inline-playing <video> in a .video-view box with an overlay layer. */
export function videoView(opts: { className: string; testId: string; muted: boolean }): VideoViewEl {
  const video = h('video', { 'data-testid': opts.testId, autoplay: true, playsinline: true, muted: opts.muted });
  // the attribute is only the default: the property is what keeps the preview (and autoplay) silent
  video.muted = opts.muted;
  const overlay = h('div', { class: 'video-overlay' });
  return { el: h('div', { class: `video-view ${opts.className}` }, video, overlay), video, overlay };
}

/** A remote voice in an <audio> element, playing. */
export function streamAudio(testId: string): HTMLAudioElement {
  return h('audio', { 'data-testid': testId, autoplay: true });
}

/** Bind `stream` to the element (only when it changed) and play it. */
export function bindStream(el: HTMLMediaElement, stream: MediaStream | null): void {
  if (el.srcObject !== stream) attachStream(el, stream);
}

