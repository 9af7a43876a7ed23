/**
 * npm run ocr -- [--lang eng|jpn|eng+jpn] [--json] [--workers N] [--redacted-dir DIR] <image…>
 *
 * Back-office OCR of bills and receipts over the app's own code path (same
 * engine, masking and extractor). With --json, stdout carries only a JSON
 * array of {file, fields, confidence, lines, ms} (or {file, error}); progress
 * and logs go to stderr. Exit status is non-zero only when no image could be
 * read at all (or the arguments are wrong). With --redacted-dir, each image
 * is also written there as it would be stored (card numbers painted over,
 * orientation applied), under its own base name.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { flatFields } from '../bills/extract';
import { ImageError } from './image-info';
import { OCR_LANGS, type OcrLang } from './lang-data';
import { redactImage } from './redact';
import { createOcrService, type EngineChoice, type RecognizeResult } from './service';

const USAGE = 'usage: npm run ocr -- [--lang eng|jpn|eng+jpn] [--json] [--workers N] [--engine auto|ppocr|tesseract] [--redacted-dir DIR] <image...>';
const MAX_FILE = 64 * 1024 * 1024;

interface Args { lang: OcrLang; json: boolean; workers?: number; files: string[]; redactedDir?: string; engine: EngineChoice }

export function parseArgs(argv: string[]): Args | { error: string } {
  const a: Args = { lang: 'eng', json: false, files: [], engine: 'auto' };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    if (v === '--json') a.json = true;
    else if (v === '--lang' || v.startsWith('--lang=')) {
      const l = v.includes('=') ? v.split('=')[1] : argv[++i];
      if (!OCR_LANGS.includes(l as OcrLang)) return { error: `--lang must be one of ${OCR_LANGS.join(', ')} (got ${l ?? 'nothing'})` };
      a.lang = l as OcrLang;
    } else if (v === '--workers') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 8) return { error: '--workers must be 1..8' };
      a.workers = n;
    } else if (v === '--redacted-dir' || v.startsWith('--redacted-dir=')) {
      const d = v.includes('=') ? v.slice(v.indexOf('=') + 1) : argv[++i];
      if (!d) return { error: '--redacted-dir needs a folder' };
      a.redactedDir = d;
    } else if (v === '--engine' || v.startsWith('--engine=')) {
      const e = v.includes('=') ? v.slice(v.indexOf('=') + 1) : argv[++i];
      if (e !== 'auto' && e !== 'ppocr' && e !== 'tesseract') return { error: '--engine must be auto, ppocr or tesseract' };
      a.engine = e;
    } else if (v === '--help' || v === '-h') return { error: USAGE };
    else if (v.startsWith('--')) return { error: `unknown option ${v}\n${USAGE}` };
    else a.files.push(v);
  }
  if (!a.files.length) return { error: USAGE };
  return a;
}

type Entry =
  | { file: string; fields: Record<string, string | number | null>; confidence: Record<string, number>; lineItems: Array<{ description: string; amount: number }>; maskedNumbers: string[]; lines: Array<{ text: string; confidence: number; box: { x: number; y: number; w: number; h: number } }>; width: number; height: number; ms: number; redacted?: { file: string; cardsPainted: number } }
  | { file: string; error: { code: string; message: string } };

function toEntry(file: string, r: RecognizeResult): Entry {
  const confidence: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.fields)) if (v && typeof v === 'object' && 'confidence' in v) confidence[k] = (v as { confidence: number }).confidence;
  return {
    file, fields: flatFields(r.fields), confidence,
    lineItems: r.fields.lineItems.map((i) => ({ description: i.description, amount: i.amount })),
    maskedNumbers: r.fields.maskedNumbers,
    lines: r.lines.map((l) => ({ text: l.text, confidence: Number(l.confidence.toFixed(3)), box: l.box })),
    width: r.width, height: r.height, ms: r.ms,
  };
}

async function readImage(file: string): Promise<Uint8Array> {
  let st;
  try { st = await stat(file); } catch { throw new ImageError('unsupported_image', 'no such file'); }
  if (!st.isFile()) throw new ImageError('unsupported_image', 'not a regular file');
  if (st.size > MAX_FILE) throw new ImageError('image_too_large', `file is ${st.size} bytes; the limit is ${MAX_FILE}`);
  return new Uint8Array(await readFile(file));
}

function human(e: Entry): string {
  if ('error' in e) return `${e.file}: ERROR ${e.error.code}: ${e.error.message}\n`;
  const rows = Object.entries(e.fields).filter(([, v]) => v !== null).map(([k, v]) => `  ${k.padEnd(14)} ${String(v)}${e.confidence[k] !== undefined ? `  (${Math.round(e.confidence[k]! * 100)}%)` : ''}`);
  const items = e.lineItems.map((i) => `    - ${i.description}  ${i.amount}`);
  return `${e.file}  (${e.width}x${e.height}, ${e.ms} ms)\n${rows.join('\n')}\n${items.length ? `  items:\n${items.join('\n')}\n` : ''}${e.maskedNumbers.length ? `  masked: ${e.maskedNumbers.join(', ')}\n` : ''}`;
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const args = parseArgs(argv);
  if ('error' in args) { err(args.error + '\n'); return 2; }
  const size = args.workers ?? Math.min(args.files.length, 2);
  const svc = createOcrService({ size, engine: args.engine, log: (m) => err(m + '\n') });
  if (args.redactedDir) await mkdir(args.redactedDir, { recursive: true });
  let ok = 0;
  try {
    // As many files in flight as workers: decoding all of them at once only adds memory and contention.
    const entries: Entry[] = new Array(args.files.length);
    let next = 0;
    const one = async (file: string): Promise<Entry> => {
      try {
        const bytes = await readImage(file);
        const r = await svc.recognize(bytes, { lang: args.lang });
        ok++;
        err(`ocr: ${file} ${r.ms} ms\n`);
        const e = toEntry(file, r);
        if (args.redactedDir && 'fields' in e) {
          const red = await redactImage(bytes, r.cardBoxes);
          const out = join(args.redactedDir, basename(file));
          await writeFile(out, red.bytes);
          e.redacted = { file: out, cardsPainted: r.cardBoxes.length };
        }
        return e;
      } catch (e) {
        const code = e instanceof ImageError ? e.code : (e as { code?: string })?.code === 'model_missing' ? 'model_missing' : 'ocr_failed';
        const message = e instanceof Error ? e.message : String(e);
        err(`ocr: ${file}: ${code}: ${message}\n`);
        return { file, error: { code, message } };
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, size) }, async () => {
      for (let i = next++; i < args.files.length; i = next++) entries[i] = await one(args.files[i]!);
    }));
    out(args.json ? JSON.stringify(entries, null, 2) + '\n' : entries.map(human).join('\n'));
  } finally {
    await svc.close();
  }
  return ok > 0 ? 0 : 1;
}

const invokedDirectly = process.argv[1] && /cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { process.stderr.write(`ocr: ${e instanceof Error ? e.stack : String(e)}\n`); process.exitCode = 1; });
}
