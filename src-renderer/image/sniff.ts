/** The image types a still may have, and reading a picture's type and pixel size from its header alone. */
export const STILL_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type StillMime = (typeof STILL_MIMES)[number];

/** Pixel size from the image header (PNG, JPEG, WebP); null if unknown. */
export function sniffImage(b: Uint8Array): { mime: StillMime; width: number; height: number } | null {
  if (b.length < 32) return null;
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { mime: 'image/png', width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) { i++; continue; }
      const m = b[i + 1]!;
      if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { i += 2; continue; }
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { mime: 'image/jpeg', height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
      i += 2 + ((b[i + 2]! << 8) | b[i + 3]!);
    }
    return null;
  }
  if (b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45) {
    const c = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
    const u24 = (o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
    if (c === 'VP8X') return { mime: 'image/webp', width: 1 + u24(24), height: 1 + u24(27) };
    if (c === 'VP8 ') return { mime: 'image/webp', width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff };
    if (c === 'VP8L') { const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24); return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }; }
  }
  return null;
}
