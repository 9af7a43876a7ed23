import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../../src-renderer/i18n';
import { errorText } from '../../../src-renderer/cases/error-text';

afterEach(() => setLocale('en'));

describe('what the agent reads when a case call fails', () => {
  it('a locked or full case database says nothing was saved and what to do, in the agent’s language', () => {
    const busy = { code: 'busy', message: 'the case database is locked by another program' };
    const full = { code: 'disk_full', message: 'SQLITE_FULL' };
    expect(errorText(busy)).toMatch(/in use by another program.*nothing was saved/);
    expect(errorText(full)).toMatch(/disk is full.*nothing was saved/);
    setLocale('ja');
    expect(errorText(busy)).toMatch(/別のプログラムが使用中/);
    expect(errorText(full)).toMatch(/ディスクがいっぱい/);
    expect(errorText(busy)).not.toMatch(/locked by another program/);
  });

  it('any other failure keeps main’s message inside the translated frame', () => {
    expect(errorText({ code: 'not_found', message: 'case 7 not found' })).toBe('Could not complete: case 7 not found');
    setLocale('ja');
    expect(errorText({ code: 'not_found', message: 'case 7 not found' })).toBe('完了できませんでした: case 7 not found');
  });
});
