/** A send on a data channel that is open, or false (closed, not yet open, or its buffer refused it): both peers send this way. */
export function sendOnChannel(ch: RTCDataChannel | null | undefined, data: string | Uint8Array): boolean {
  if (!ch || ch.readyState !== 'open') return false;
  try {
    if (typeof data === 'string') ch.send(data);
    else ch.send(data as Uint8Array<ArrayBuffer>);
    return true;
  } catch { return false; }
}
