import { describe, expect, it } from 'vitest';
import { hasSecret, isAllowedHost, isAllowedOrigin } from '../../../src-main/web-host/guards';
import { resolveInside, staticPathFor } from '../../../src-main/web-host/static-files';

describe('web host guards', () => {
  it('accepts only our loopback Host with our port', () => {
    expect(isAllowedHost('127.0.0.1:7801', 7801)).toBe(true);
    expect(isAllowedHost('LOCALHOST:7801', 7801)).toBe(true);
    for (const h of [undefined, '', '127.0.0.1', '127.0.0.1:7802', 'evil.example:7801', '0.0.0.0:7801', '[::1]:7801', '127.0.0.1:7801.evil.example']) {
      expect(isAllowedHost(h, 7801), String(h)).toBe(false);
    }
  });
  it('accepts no Origin or our own; refuses others and "null"', () => {
    expect(isAllowedOrigin(undefined, 7801)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:7801', 7801)).toBe(true);
    for (const o of ['null', 'https://127.0.0.1:7801', 'http://127.0.0.1:7800', 'http://evil.example', 'app://workstation']) expect(isAllowedOrigin(o, 7801), o).toBe(false);
  });
  it('checks the bearer secret exactly', () => {
    expect(hasSecret('Bearer s3cret', 's3cret')).toBe(true);
    for (const a of [undefined, '', 's3cret', 'Bearer ', 'Bearer s3cre', 'Bearer s3cret ', 'bearer s3cret', 'Basic s3cret']) expect(hasSecret(a, 's3cret'), String(a)).toBe(false);
  });
});

describe('static paths', () => {
  it('maps / to the workstation page and /assets/* to assets', () => {
    expect(staticPathFor('/')).toBe('app/index.html');
    expect(staticPathFor('/assets/main-1a2b.js')).toBe('assets/main-1a2b.js');
  });
  it('serves nothing else (customer page and source maps elsewhere stay private to their server)', () => {
    for (const p of ['/customer/index.html', '/app/index.html', '/etc/passwd', '/assets/../app/index.html', '/assets/%2e%2e/x', '/assets/a%5c..%5cb', '/assets/%00x', '/assets/%E0%A4%A']) {
      expect(staticPathFor(p), p).toBeNull();
    }
  });
  it('never resolves outside the root', () => {
    expect(resolveInside('/srv/r', 'assets/x.js')).toBe('/srv/r/assets/x.js');
    expect(resolveInside('/srv/r', '../r2/x')).toBeNull();
    expect(resolveInside('/srv/r', '/etc/passwd')).toBeNull();
  });
});
