/**
 * The renderer's one base64 helper (the contract carries evidence bytes as
 * base64). Encoding goes through FileReader, so a many-megabyte still never
 * becomes a giant JavaScript string built by hand.
 */
export function bytesToBase64(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(new Blob([bytes as unknown as BlobPart]));
  });
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
