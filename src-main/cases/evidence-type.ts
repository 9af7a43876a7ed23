/**
 * Is this evidence what it claims to be? Images and PDF by their magic bytes,
 * JSON and text as well-formed UTF-8 (JSON also parsed). Checked in main
 * before anything is stored, so the renderer cannot file an executable or an
 * HTML page under "image/png" for a colleague to open from the case later.
 */
const starts = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');
const PDF = ascii('%PDF-');

function utf8(b: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

/** null when `bytes` fit `mime`; otherwise what is wrong, for a typed invalid_argument. */
export function evidenceTypeMismatch(mime: string, bytes: Uint8Array): string | null {
  const wrong = `the bytes are not ${mime}`;
  switch (mime) {
    case 'image/png': return starts(bytes, PNG) ? null : `${wrong} (no PNG signature)`;
    case 'image/jpeg': return starts(bytes, JPEG) ? null : `${wrong} (no JPEG start-of-image marker)`;
    case 'image/webp': return starts(bytes, RIFF) && starts(bytes, WEBP, 8) ? null : `${wrong} (no RIFF/WEBP header)`;
    case 'application/pdf': return starts(bytes, PDF) ? null : `${wrong} (no %PDF- header)`;
    case 'application/json': {
      const text = utf8(bytes);
      if (text === null) return `${wrong} (not UTF-8)`;
      try { JSON.parse(text); return null; } catch { return `${wrong} (not valid JSON)`; }
    }
    case 'text/plain': {
      const text = utf8(bytes);
      if (text === null) return `${wrong} (not UTF-8)`;
      return text.includes('\0') ? `${wrong} (contains NUL bytes)` : null;
    }
    default: return `${mime} is not an evidence type`;
  }
}
