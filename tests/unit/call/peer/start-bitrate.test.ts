import { describe, expect, it } from 'vitest';
import { withStartBitrate } from '../../../../src-renderer/call/peer/start-bitrate';

// Trimmed from a Chromium offer: VP8 without fmtp, VP9 and H264 with, rtx and audio untouched.
const OFFER = [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 102', 'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack',
  'a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000', 'a=fmtp:98 profile-id=0',
  'a=rtpmap:102 H264/90000', 'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  '',
].join('\r\n');

describe('video start bitrate in the SDP', () => {
  it('adds x-google-start-bitrate to every video codec, and nothing to audio or rtx', () => {
    const out = withStartBitrate(OFFER, 1000);
    const lines = out.split('\r\n');
    expect(lines[lines.indexOf('a=rtpmap:96 VP8/90000') + 1]).toBe('a=fmtp:96 x-google-start-bitrate=1000');
    expect(lines).toContain('a=fmtp:98 profile-id=0;x-google-start-bitrate=1000');
    expect(lines).toContain('a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f;x-google-start-bitrate=1000');
    expect(lines).toContain('a=fmtp:97 apt=96');
    expect(lines).toContain('a=fmtp:111 minptime=10;useinbandfec=1');
    expect(out.endsWith('\r\n')).toBe(true);
  });

  it('is idempotent and leaves an SDP without video as it was', () => {
    const once = withStartBitrate(OFFER);
    expect(withStartBitrate(once)).toBe(once);
    const audioOnly = OFFER.split('m=video')[0]!;
    expect(withStartBitrate(audioOnly)).toBe(audioOnly);
  });
});
