/**
 * Sniffs an image's type and pixel size from its header bytes, so bad input
 * (not an image, a type the OCR core cannot decode, a decompression bomb) is
 * refused with a typed error before it reaches the WebAssembly decoder.
 */
export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/bmp';
export interface ImageInfo { mime: ImageMime; width: number; height: number }

/** Largest side and area the OCR accepts (a 50 MP phone photo fits; bigger is refused). */
export const MAX_SIDE = 12_000;
export const MAX_PIXELS = 60_000_000;

export class ImageError extends Error {
  override name = 'ImageError';
  constructor(readonly code: 'unsupported_image' | 'image_too_large' | 'empty_image', message: string) { super(message); }
}

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) { i++; continue; }
    const marker = b[i + 1]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    // SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
    }
    i += 2 + len;
  }
  return null;
}

function webpSize(b: Uint8Array): { width: number; height: number } | null {
  const chunk = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
  const u16 = (o: number) => b[o]! | (b[o + 1]! << 8);
  const u24 = (o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
  if (chunk === 'VP8X') return { width: 1 + u24(24), height: 1 + u24(27) };
  if (chunk === 'VP8 ') return { width: u16(26) & 0x3fff, height: u16(28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return null;
}

export function imageInfo(b: Uint8Array): ImageInfo {
  if (b.length < 32) throw new ImageError('empty_image', 'the file is empty or too short to be an image');
  let info: ImageInfo | null = null;
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    info = { mime: 'image/png', width: dv.getUint32(16), height: dv.getUint32(20) };
  } else if (b[0] === 0xff && b[1] === 0xd8) {
    const s = jpegSize(b);
    if (s) info = { mime: 'image/jpeg', ...s };
  } else if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) {
    const s = webpSize(b);
    if (s) info = { mime: 'image/webp', ...s };
  } else if (b[0] === 0x42 && b[1] === 0x4d) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    info = { mime: 'image/bmp', width: dv.getInt32(18, true), height: Math.abs(dv.getInt32(22, true)) };
  }
  if (!info || !(info.width > 0) || !(info.height > 0)) {
    throw new ImageError('unsupported_image', 'not a PNG, JPEG, WebP or BMP image (or its header is damaged)');
  }
  if (info.width > MAX_SIDE || info.height > MAX_SIDE || info.width * info.height > MAX_PIXELS) {
    throw new ImageError('image_too_large', `image is ${info.width}x${info.height}; the limit is ${MAX_SIDE} px a side and ${MAX_PIXELS / 1e6} MP`);
  }
  return info;
}
