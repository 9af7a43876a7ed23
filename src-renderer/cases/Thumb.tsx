import { useEffect, useState } from 'react';
import { call } from '../bridge/workstation';
import { base64ToBytes } from '../bytes/base64';

const cache = new Map<string, string>();

/** A picture from the evidence store, as a blob: URL (allowed by the CSP), cached for the page's life. */
export function Thumb({ caseId, sha256, alt }: { caseId: number; sha256: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(cache.get(sha256) ?? null);
  useEffect(() => {
    if (cache.has(sha256)) { setUrl(cache.get(sha256)!); return; }
    let live = true;
    void call('cases:getEvidence', { caseId, sha256 }).then((r) => {
      if (!r.ok || !live) return;
      const bytes = base64ToBytes(r.value.bytesBase64);
      const u = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: r.value.mime }));
      cache.set(sha256, u);
      setUrl(u);
    });
    return () => { live = false; };
  }, [caseId, sha256]);
  return url ? <img className="cases-thumb" src={url} alt={alt} data-sha256={sha256} /> : <span className="cases-thumb cases-thumb-empty" aria-label={alt} />;
}
