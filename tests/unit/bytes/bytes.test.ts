import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../../src-renderer/bytes/base64';
import { sha256Hex } from '../../../src-renderer/bytes/sha256';
import { sniffImage } from '../../../src-renderer/image/sniff';

describe('the shared byte helpers', () => {
  // Encoding goes through the browser's FileReader (not in Node); the e2e tests store evidence through it.
  it('decodes base64 as Node encodes it', () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 131) & 255);
    expect(Buffer.from(base64ToBytes(Buffer.from(bytes).toString('base64'))).equals(Buffer.from(bytes))).toBe(true);
    expect(base64ToBytes('')).toEqual(new Uint8Array(0));
  });

  it('hashes to lowercase hex sha256', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads type and size from a PNG header, refuses what it does not know', () => {
    const png = new Uint8Array(40);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const dv = new DataView(png.buffer);
    dv.setUint32(16, 1920); dv.setUint32(20, 1080);
    expect(sniffImage(png)).toEqual({ mime: 'image/png', width: 1920, height: 1080 });
    expect(sniffImage(new Uint8Array(40))).toBeNull();
  });
});
