/**
 * The invite's short numeric code as the agent reads it out (InvitePanel),
 * and the words around it in both languages.
 */
import { describe, expect, it } from 'vitest';
import { codePageOf, groupCode } from '../../../src-renderer/agent/invite-code';
import { t } from '../../../src-renderer/agent/messages';
import { setLocale } from '../../../src-renderer/i18n';

describe('invite code in the workstation', () => {
  it('groups the digits in threes for reading aloud, never leaving one digit alone', () => {
    expect(groupCode('1234567890')).toBe('123 456 7890');
    expect(groupCode('123456')).toBe('123 456');
    expect(groupCode('12345678')).toBe('123 456 78');
    expect(groupCode('1234')).toBe('1234');
    // the code page strips spaces, so what is read out is what it accepts
    expect(groupCode('0012345678').replace(/\s/g, '')).toBe('0012345678');
  });

  it('points the customer at /code on the server the link came from', () => {
    expect(codePageOf('https://sig.example:8443/join/abc?page=x')).toBe('https://sig.example:8443/code');
  });

  it('tells the agent where the customer types it, in English and Japanese', () => {
    setLocale('en');
    expect(t('inviteCodeLead', { url: 'https://sig.example/code' })).toContain('https://sig.example/code');
    expect(t('inviteCodeLabel')).toBe('Session code');
    setLocale('ja');
    expect(t('inviteCodeLead', { url: 'https://sig.example/code' })).toContain('https://sig.example/code');
    expect(t('inviteCodeLabel')).toBe('セッションコード');
    setLocale('en');
  });
});
