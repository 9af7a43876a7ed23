/**
 * What leaves the machine in a diagnostics archive must carry no secrets and
 * no customer data. Two layers: log fields are kept only for keys known to be
 * harmless (everything else becomes "[redacted]"), and every string that is
 * kept — messages included — is scrubbed of what looks like a token, a
 * credential, an e-mail address or a phone number.
 */
const SAFE_FIELD_KEYS = new Set([
  'service', 'scope', 'channel', 'code', 'mode', 'state', 'phase', 'level', 'version', 'installBy', 'corporateFeed',
  'status', 'ms', 'durationMs', 'attempts', 'count', 'n', 'bytes', 'port', 'kind', 'source', 'origin', 'message', 'error', 'file', 'host',
]);

const PATTERNS: [RegExp, string][] = [
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, '$1[redacted]@'],                                   // user:password@ in a URL
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, '[token]'],                 // JWT
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [token]'],
  [/\b(token|secret|password|passwd|pwd|key|apikey|api_key|authorization|credential|k)=([^&\s"']+)/gi, '$1=[redacted]'],
  [/"(token|secret|password|authorization|apiKey|credential)"\s*:\s*"[^"]*"/gi, '"$1":"[redacted]"'],
  [/\b[A-Fa-f0-9]{32,}\b/g, '[hex]'],                                                           // keys, hashes of secrets
  [/\b[A-Za-z0-9+/_-]{40,}={0,2}/g, '[opaque]'],                                               // long base64 blobs
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  [/\+?\d[\d\s().-]{6,}\d/g, '[number]'],                                                       // phone numbers, account numbers
];

export function scrub(text: string, extra: readonly string[] = []): string {
  let out = text;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  for (const s of extra) if (s && s.length >= 3) out = out.split(s).join('[redacted]');
  return out;
}

/** A log field value: kept (scrubbed) only under a harmless key; numbers and booleans always kept. */
export function redactFields(fields: Record<string, unknown> | undefined, extra: readonly string[] = []): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
    else if (SAFE_FIELD_KEYS.has(k) && typeof v === 'string') out[k] = scrub(v, extra);
    else out[k] = '[redacted]';
  }
  return out;
}

/**
 * A policy value for the archive: URLs keep scheme, host, port and path (what
 * IT needs to see which server), lose any user:password and query values
 * (an admin may have put an API key in CrmUrl). Other strings are kept.
 */
export function redactPolicyValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactPolicyValue);
  if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const u = new URL(value);
    if (u.username || u.password) { u.username = '[redacted]'; u.password = ''; }
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '[redacted]');
    if (u.hash) u.hash = '';
    return decodeURI(u.href);
  } catch { return scrub(value); }
}
