/** The CLI's --json contract: stdout is only a JSON array; logs go to stderr; exit status. */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpus, corpusFile } from './corpus';

const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src-main/ocr/cli.ts', ...args], { encoding: 'utf8', timeout: 120_000 });

beforeAll(async () => { await corpus(); }, 300_000);

describe('npm run ocr -- --json', () => {
  it('prints only a JSON array of {file, fields, lines, ms}; a missing and a non-image file become error entries', () => {
    const junk = join(mkdtempSync(join(tmpdir(), 'ocr-cli-')), 'notes.png');
    writeFileSync(junk, 'this is not an image, just text pretending to be a PNG file');
    const r = run(['--json', '--lang', 'eng', corpusFile('us-receipt--clean.png'), '/no/such/bill.jpg', junk]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Array<Record<string, any>>;
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ file: corpusFile('us-receipt--clean.png'), fields: { vendor: 'CORNER MARKET', currency: 'USD' } });
    expect(typeof out[0]!.fields.total).toBe('number');
    expect(out[0]!.fields.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(out[0]!.lines.length).toBeGreaterThan(5);
    expect(out[0]!.ms).toBeGreaterThan(0);
    expect(out[1]).toMatchObject({ file: '/no/such/bill.jpg', error: { code: 'unsupported_image' } });
    expect(out[2]).toMatchObject({ error: { code: 'unsupported_image' } });
    expect(r.stderr).toMatch(/ocr:/);
    expect(JSON.stringify(out)).not.toMatch(/\d{4} \d{4} \d{4} \d{4}/);
  }, 180_000);

  it('Japanese with --lang jpn; exit status 1 when nothing could be read; 2 for bad arguments', () => {
    const ja = run(['--json', '--lang', 'jpn', corpusFile('jp-receipt--clean.png')]);
    expect(ja.status).toBe(0);
    expect(JSON.parse(ja.stdout)[0].fields).toMatchObject({ currency: 'JPY', vendor: 'まるやマート' });
    const none = run(['--json', '/no/such/a.png']);
    expect(none.status).toBe(1);
    expect(JSON.parse(none.stdout)).toEqual([{ file: '/no/such/a.png', error: { code: 'unsupported_image', message: 'no such file' } }]);
    const bad = run(['--lang', 'deu', 'x.png']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--lang must be one of/);
  }, 180_000);
});
