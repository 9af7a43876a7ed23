/**
 * Evidence bytes must be what their claimed type says (magic bytes for
 * images and PDF, well-formed UTF-8 / JSON for text): a renderer cannot
 * store an executable or an HTML page as "image/png" for someone to open
 * later from the case.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config';
import { createHandlers } from '../../../src-main/handlers';
import { createLogger } from '../../../src-main/log';
import { createRouter } from '../../../src-main/router';
import { createServices, type Services } from '../../../src-main/services';
import { jpegBytes, pngBytes } from './fixtures/evidence-bytes';
import { useTempDirs } from './tmp';

const tmp = useTempDirs();
let services: Services | null = null;
afterEach(async () => { await services?.close(); services = null; });
const ctx = { host: 'web' as const };

async function withCase() {
  const log = createLogger({ scope: 'test', level: 'error' });
  services = createServices(loadConfig({ dataDir: tmp(), agentId: 'agent-e', locale: 'en' }, {}), { log });
  const r = createRouter(createHandlers(services), { log });
  const cu = await r.dispatch('customers:create', { name: 'Eve', phones: ['+14155550111'] }, ctx) as { ok: true; value: { id: number } };
  const c = await r.dispatch('cases:create', { customerId: cu.value.id, subject: 'evidence' }, ctx) as { ok: true; value: { id: number } };
  return { r, caseId: c.value.id };
}

const put = (r: Awaited<ReturnType<typeof withCase>>['r'], caseId: number, mime: string, bytes: Buffer) =>
  r.dispatch('cases:putEvidence', { caseId, mime, bytesBase64: bytes.toString('base64') }, ctx);

describe('evidence type check', () => {
  it('accepts bytes that match the claimed type', async () => {
    const { r, caseId } = await withCase();
    expect(await put(r, caseId, 'image/png', pngBytes())).toMatchObject({ ok: true });
    expect(await put(r, caseId, 'image/jpeg', jpegBytes())).toMatchObject({ ok: true });
    expect(await put(r, caseId, 'image/webp', Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 0, 0, 0]), Buffer.from('WEBPVP8 x')]))).toMatchObject({ ok: true });
    expect(await put(r, caseId, 'application/pdf', Buffer.from('%PDF-1.7\n...'))).toMatchObject({ ok: true });
    expect(await put(r, caseId, 'application/json', Buffer.from('{"a":1}'))).toMatchObject({ ok: true });
    expect(await put(r, caseId, 'text/plain', Buffer.from('請求書のメモ'))).toMatchObject({ ok: true });
  });

  it('refuses bytes that are not the claimed type, and stores nothing', async () => {
    const { r, caseId } = await withCase();
    const cases: [string, Buffer][] = [
      ['image/png', jpegBytes()],
      ['image/png', Buffer.from('<html><script>alert(1)</script></html>')],
      ['image/jpeg', Buffer.from('MZ\x90\x00 this program cannot be run in DOS mode')],
      ['image/webp', Buffer.from('RIFF\x01\x00\x00\x00AVI LIST')],
      ['application/pdf', pngBytes()],
      ['application/json', Buffer.from('{"a":')],
      ['text/plain', Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x00])],
    ];
    for (const [mime, bytes] of cases) {
      expect(await put(r, caseId, mime, bytes), mime).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringContaining(mime) } });
    }
    const got = await r.dispatch('cases:get', { caseId }, ctx);
    expect(got.ok).toBe(true);
  });
});
