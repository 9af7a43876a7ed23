/**
 * The organisation's root certificates (ExtraCaCertificates policy: PEM
 * files), trusted for our own connections in addition to the system's:
 * Node-side TLS (CRM delivery, update checks outside Electron) gets them in
 * its CA list; Electron's Chromium gets a certificate verifier that accepts a
 * chain Chromium refused only if it ends at one of them (chainVerifies).
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { X509Certificate } from 'node:crypto';

export interface LoadedCas { pems: string[]; problems: { file: string; message: string }[] }

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Read every certificate in the listed PEM files; a file that cannot be read or holds no CA is reported, not fatal. */
export function loadExtraCas(files: readonly string[]): LoadedCas {
  const pems: string[] = [];
  const problems: LoadedCas['problems'] = [];
  for (const file of files) {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (err) { problems.push({ file, message: (err as Error).message }); continue; }
    const blocks = text.match(PEM_BLOCK) ?? [];
    let n = 0;
    for (const b of blocks) {
      try {
        const c = new X509Certificate(b);
        if (!c.ca) { problems.push({ file, message: `${c.subject.replace(/\n/g, ', ')} is not a CA certificate (ignored)` }); continue; }
        pems.push(b);
        n++;
      } catch (err) { problems.push({ file, message: `unparsable certificate: ${(err as Error).message}` }); }
    }
    if (!n && !blocks.length) problems.push({ file, message: 'no PEM certificate in file' });
  }
  return { pems, problems };
}

/** The CA list for Node TLS: the system's (Node's bundled roots) plus the organisation's. */
export function caList(extra: readonly string[]): string[] {
  return [...rootCertificates, ...extra];
}

/**
 * Does this chain (leaf first, PEM) for this host end at one of the
 * organisation's CAs, each link signed by the next and valid now?
 */
export function chainVerifies(chain: readonly string[], host: string, cas: readonly string[], now = new Date()): boolean {
  if (!chain.length || !cas.length) return false;
  let certs: X509Certificate[];
  let roots: X509Certificate[];
  try { certs = chain.map((p) => new X509Certificate(p)); roots = cas.map((p) => new X509Certificate(p)); } catch { return false; }
  const valid = (c: X509Certificate) => new Date(c.validFrom) <= now && now <= new Date(c.validTo);
  const leaf = certs[0]!;
  if (!valid(leaf) || !leaf.checkHost(host)) return false;
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i]!;
    if (!valid(c)) return false;
    const root = roots.find((r) => c.checkIssued(r) && c.verify(r.publicKey));
    if (root && valid(root)) return true;
    const next = certs[i + 1];
    if (!next || !next.ca || !c.checkIssued(next) || !c.verify(next.publicKey)) return false;
  }
  return false;
}
