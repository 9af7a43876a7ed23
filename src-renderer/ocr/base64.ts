/** Bytes <-> base64 in the browser without building giant strings by hand. */
export function bytesToBase64(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(new Blob([bytes as unknown as BlobPart]));
  });
}
export function textToBase64(s: string): Promise<string> { return bytesToBase64(new TextEncoder().encode(s)); }
