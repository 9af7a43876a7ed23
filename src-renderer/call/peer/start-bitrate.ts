/**
 * The bitrate a video sender starts at, before its bandwidth estimate has
 * measured anything. WebRTC's default (300 kbps) makes the first keyframe of a
 * 1280x720 bill, which keeps its resolution (contentHint 'detail'), trickle out
 * over the first second. Chromium reads `x-google-start-bitrate` (kbps) from the
 * fmtp of the remote description's send codecs; other browsers ignore it.
 */
export const START_BITRATE_KBPS = 1000;

const VIDEO_CODEC = /^a=rtpmap:(\d+) (VP8|VP9|H264|AV1|H265)\/90000\s*$/i;

/** Adds the start bitrate to every video codec's fmtp line (adding the line where a codec has none). Pure; idempotent. */
export function withStartBitrate(sdp: string, kbps: number = START_BITRATE_KBPS): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const pts = new Set<string>();
  for (const l of lines) { const m = VIDEO_CODEC.exec(l); if (m) pts.add(m[1]!); }
  if (pts.size === 0) return sdp;
  const withFmtp = new Set<string>();
  const out = lines.map((l) => {
    const m = /^a=fmtp:(\d+) (.*)$/.exec(l);
    if (!m || !pts.has(m[1]!)) return l;
    withFmtp.add(m[1]!);
    return /x-google-start-bitrate=/.test(m[2]!) ? l : `${l};x-google-start-bitrate=${kbps}`;
  });
  const result: string[] = [];
  for (const l of out) {
    result.push(l);
    const m = VIDEO_CODEC.exec(l);
    if (m && !withFmtp.has(m[1]!)) result.push(`a=fmtp:${m[1]} x-google-start-bitrate=${kbps}`);
  }
  return result.join(eol);
}
