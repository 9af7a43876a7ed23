import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EARLY_PAGE_SCRIPT, EARLY_PAGE_SCRIPT_HASH, personalizeCustomerPage, pickLocale } from '../../../signaling-server/consent-page';
import { customerPageCsp } from '../../../signaling-server/security-headers';
import { consentMarkup, CONSENT_PLACEHOLDER } from '../../../src-renderer/customer/consent-markup';

const PAGE = `<!doctype html>\n<html lang="en">\n<head><title>x</title></head>\n<body>${CONSENT_PLACEHOLDER}<div id="root"></div></body></html>`;

describe('the served consent step', () => {
  it('picks Japanese only when it comes before English by q', () => {
    expect(pickLocale(undefined)).toBe('en');
    expect(pickLocale('ja-JP,ja;q=0.9,en;q=0.8')).toBe('ja');
    expect(pickLocale('en-US,en;q=0.9,ja;q=0.8')).toBe('en');
    expect(pickLocale('fr-FR, ja;q=0.5, en;q=0.4')).toBe('ja');
    expect(pickLocale('en;q=0.1, ja;q=0.9')).toBe('ja');
    expect(pickLocale('ja;q=0, en')).toBe('en');
    expect(pickLocale('de, fr')).toBe('en');
  });

  it('writes the state and language onto <html> and the early script into <head>', () => {
    const html = personalizeCustomerPage(PAGE, 'valid', 'ja');
    expect(html).toContain('<html lang="ja" data-invite="valid">');
    expect(html).toContain(`<script>${EARLY_PAGE_SCRIPT}</script>\n</head>`);
    expect(personalizeCustomerPage(PAGE, undefined, 'en')).toContain('<html lang="en">');
  });

  it('the CSP allows exactly that inline script, by its hash, and no other', () => {
    const hash = `'sha256-${createHash('sha256').update(EARLY_PAGE_SCRIPT).digest('base64')}'`;
    expect(EARLY_PAGE_SCRIPT_HASH).toBe(hash);
    const csp = customerPageCsp('https://va.example.com');
    expect(csp).toContain(`script-src 'self' ${hash}`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('the markup carries both languages from the page\'s catalog, the Start buttons and the test ids the page uses', () => {
    const m = consentMarkup();
    expect(m).toContain('Show your support agent what you see');
    expect(m).toContain('お手元の状況をサポート担当者に見せる');
    expect(m).toContain('data-testid="start-camera" data-start="camera"');
    expect(m).toContain('data-testid="consent"');
    // The screen button shows only once the page's code knows the browser can share a screen.
    expect(m).toMatch(/data-start="screen" hidden/);
    // Shown only for a valid invite.
    expect(m).toContain('html[data-invite=valid] #consent-static{display:flex}');
  });
});
