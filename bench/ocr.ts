/**
 * npm run bench -- ocr [--sweep] [--compare=DIR] [--images=N]
 *
 * Milliseconds per image for the project's OCR path (tesseract.js 7's core in
 * one warm Node worker thread + masking + extraction) and for the native
 * `tesseract` CLI (Debian tesseract-ocr, OMP_THREAD_LIMIT=1, one process per
 * image, as a back office would script it) on the same images in the same
 * run, and the field accuracy of both: the CLI's TSV (words with boxes) goes
 * through the same extractor. Both sides use one core and run one image at a
 * time, so these are single-image latencies. Images: the generated corpus
 * plus a 12 MP "phone photo" (a damaged corpus bill upscaled to 4032x3024)
 * and the same photo scaled to 3.2 MP (what the agent renderer sent before
 * ocr:readStill), each three times (ours and the CLI alternating; medians).
 * ms_phone_12mp_app_path is what 'ocr:readStill' does with such a still: the
 * 12 MP original under the MAX_OCR_PIXELS cap, scaled once in the worker.
 *
 * --compare=DIR: another checkout of this repository (e.g. a worktree of the
 * previous build, with its node_modules). Its OCR service (DIR/src-main/ocr/
 * service.ts) runs in this process next to ours, one warm worker each; every
 * image is read by both, who goes first alternating, and a second table
 * gives both. Its app path for the phone photo is the 3.2 MP copy its
 * renderer made (the canvas time is not counted). --images=N reads N corpus
 * images spread over the corpus (default all).
 *
 * Besides wall time, CPU time per image (ours: this process, i.e. the worker
 * thread; the CLI: the child process) is reported: on a shared, loaded
 * machine it is the steadier of the two. notes.profile_ms has the median
 * time per stage of our path (decode, grey, layout, scale, recognize, output).
 *
 * Real receipts (the dev set, ../shared/data/receipts-dev or $RECEIPTS_DEV_DIR):
 * every image read by ours (the app's service: PP-OCR for English) and by the
 * native CLI, interleaved per image; both sides' fields scored by the dev set's
 * own scorer (score-receipts.py: total to the cent, date as a day, vendor at a
 * 0.8 similarity). --receipts=N reads the first N; --receipts-only skips the
 * generated corpus.
 *
 * --sweep: also field accuracy and speed per page-segmentation mode and
 * thresholding method, per English model, and with text-size scaling off
 * (how the defaults in src-main/ocr/engine.ts and lang-data.ts were chosen).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { makeCorpus, DEFAULT_CORPUS_DIR } from '../scripts/make-bill-corpus';
import { scoreAll, SCORED, type Score } from '../scripts/bill-corpus/score';
import type { BillTruth } from '../scripts/bill-corpus/truth';
import { extractBill, flatFields } from '../src-main/bills/extract';
import { maskPage } from '../src-main/bills/mask';
import type { BillFields, OcrLine, OcrPage, OcrWord } from '../src-main/bills/types';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createOcrService, MAX_OCR_PIXELS, type OcrService } from '../src-main/ocr/service';
import { DEFAULT_PARAMS, DEFAULT_PSM, type EngineOptions, type PsmMode } from '../src-main/ocr/engine';
import { imageInfo } from '../src-main/ocr/image-info';
import { langFile } from '../src-main/ocr/lang-data';
import { median, p95, report, round } from './lib';

const sweep = process.argv.includes('--sweep');
const COMPARE = process.argv.find((x) => x.startsWith('--compare='))?.slice('--compare='.length) ?? null;
const IMAGES = Number(process.argv.find((x) => x.startsWith('--images='))?.slice('--images='.length) ?? 0);
const RECEIPTS_N = Number(process.argv.find((x) => x.startsWith('--receipts='))?.slice('--receipts='.length) ?? 0);
const RECEIPTS_ONLY = process.argv.includes('--receipts-only');
const log = (s: string) => process.stderr.write(s + '\n');

/** The dev set of real receipts, where this checkout can see it. */
function receiptsDir(): string | null {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  for (const d of [process.env.RECEIPTS_DEV_DIR, join(root, '../shared/data/receipts-dev'), join(root, '../../shared/data/receipts-dev')]) {
    if (d && existsSync(join(d, 'truth.json'))) return d;
  }
  return null;
}

/** Score predictions with the dev set's own scorer; its last line is 'total_acc=X date_acc=Y vendor_acc=Z n=N'. */
function scoreReceipts(dir: string, preds: Array<{ file: string; fields: Record<string, unknown> }>): Record<string, number> {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-receipts-'));
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Record<string, unknown>;
  const sub = Object.fromEntries(preds.map((p) => [basename(p.file), truth[basename(p.file)]]));
  writeFileSync(join(tmp, 'truth.json'), JSON.stringify(sub));
  writeFileSync(join(tmp, 'pred.json'), JSON.stringify(preds));
  const scorer = [join(dir, '../../tools/score-receipts.py'), join(dir, '../tools/score-receipts.py')].find(existsSync);
  if (!scorer) throw new Error('score-receipts.py not found beside the dev set');
  const out = execFileSync('python3', [scorer, join(tmp, 'truth.json'), join(tmp, 'pred.json')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  return Object.fromEntries(out.split(/\s+/).map((kv) => kv.split('=')).map(([k, v]) => [k!, Number(v)]));
}

async function benchReceipts(svc: OcrService): Promise<{ metrics: Record<string, number | string>; baseline: Record<string, number | string>; notes: Record<string, unknown> } | null> {
  const dir = receiptsDir();
  if (!dir) { log('receipts: dev set not found (set RECEIPTS_DEV_DIR); skipped'); return null; }
  let files = Object.keys(JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'))).sort();
  if (RECEIPTS_N > 0) files = files.slice(0, RECEIPTS_N);
  log(`receipts: ${files.length} real receipts, ours and native tesseract interleaved`);
  await svc.warm('eng');
  await svc.recognize(readFileSync(join(dir, files[0]!)), { lang: 'eng' });
  const ours = { ms: [] as number[], cpu: [] as number[], preds: [] as Array<{ file: string; fields: Record<string, unknown> }>, stages: [] as Array<Record<string, number>> };
  const nat = { ms: [] as number[], cpu: [] as number[], preds: [] as Array<{ file: string; fields: Record<string, unknown> }> };
  const nativeParams = { preserve_interword_spaces: DEFAULT_PARAMS.preserve_interword_spaces!, thresholding_method: DEFAULT_PARAMS.thresholding_method! };
  for (const [i, f] of files.entries()) {
    const path = join(dir, f);
    const runOursOne = async () => {
      const bytes = readFileSync(path);
      const c0 = selfCpuMs(), t0 = performance.now();
      const r = await svc.recognize(bytes, { lang: 'eng' });
      ours.ms.push(performance.now() - t0); ours.cpu.push(selfCpuMs() - c0);
      ours.preds.push({ file: f, fields: flatFields(r.fields) });
      ours.stages.push({ ...svc.ppocr.lastStages });
    };
    const runNative = () => {
      const n = nativeOcr(path, 'eng', DEFAULT_PSM, nativeParams);
      nat.ms.push(n.ms); nat.cpu.push(n.cpu);
      const { page, masked } = maskPage(n.page);
      nat.preds.push({ file: f, fields: flatFields(extractBill(page, { lang: 'eng', masked })) });
    };
    // Who goes first alternates, so neither side always meets the other's cache misses.
    if (i % 2) { runNative(); await runOursOne(); } else { await runOursOne(); runNative(); }
  }
  const so = scoreReceipts(dir, ours.preds), sn = scoreReceipts(dir, nat.preds);
  const side = (x: { ms: number[]; cpu: number[] }, sc: Record<string, number>) => ({
    receipts_images: files.length,
    receipts_total_pct: round((sc.total_acc ?? 0) * 100, 1),
    receipts_date_pct: round((sc.date_acc ?? 0) * 100, 1),
    receipts_vendor_pct: round((sc.vendor_acc ?? 0) * 100, 1),
    receipts_ms_per_image_median: round(median(x.ms), 1),
    receipts_ms_per_image_p95: round(p95(x.ms), 1),
    receipts_cpu_ms_per_image_median: round(median(x.cpu), 1),
  });
  const misses = ours.preds.filter((p, i) => JSON.stringify(p.fields) !== JSON.stringify(nat.preds[i]!.fields)).length;
  return {
    metrics: side(ours, so), baseline: side(nat, sn),
    notes: { receipts_dir: dir, receipts_profile_ms: stageMedians(ours.stages), receipts_fields_differ_from_native: misses, receipts_per_image_ms: Object.fromEntries(files.map((f, i) => [f, { ours: round(ours.ms[i]!, 0), native: round(nat.ms[i]!, 0) }])) },
  };
}

/** Native tesseract TSV -> OcrPage (level 5 rows are words; grouped by block/par/line). */
function pageFromTsv(tsv: string, lang: string, width: number, height: number): OcrPage {
  const lines = new Map<string, OcrWord[]>();
  for (const row of tsv.split('\n').slice(1)) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] !== '5' || !c[11]!.trim()) continue;
    const key = `${c[2]}.${c[3]}.${c[4]}`;
    const w: OcrWord = { text: c[11]!, box: { x: +c[6]!, y: +c[7]!, w: +c[8]!, h: +c[9]! }, confidence: Math.max(0, +c[10]! / 100) };
    (lines.get(key) ?? lines.set(key, []).get(key)!).push(w);
  }
  const out: OcrLine[] = [...lines.values()].map((ws) => {
    const x0 = Math.min(...ws.map((w) => w.box.x)), y0 = Math.min(...ws.map((w) => w.box.y));
    const x1 = Math.max(...ws.map((w) => w.box.x + w.box.w)), y1 = Math.max(...ws.map((w) => w.box.y + w.box.h));
    return { text: ws.map((w) => w.text).join(' '), box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, confidence: ws.reduce((a, w) => a + w.confidence, 0) / ws.length, words: ws };
  });
  return { width, height, lang, text: out.map((l) => l.text).join('\n'), lines: out };
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
/** CPU ms used by this process's waited-for children so far (cutime + cstime), 1/CLK_TCK resolution. */
function childCpuMs(): number {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(rest[13]) + Number(rest[14])) * 1000) / CLK_TCK;
}
const selfCpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function nativeOcr(file: string, lang: string, psm: string, params: Record<string, string>): { ms: number; cpu: number; page: OcrPage } {
  const args = [file, 'stdout', '-l', lang, '--psm', psm, ...Object.entries(params).flatMap(([k, v]) => ['-c', `${k}=${v}`]), 'tsv'];
  const c0 = childCpuMs();
  const t0 = performance.now();
  const r = spawnSync('tesseract', args, { encoding: 'utf8', env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const cpu = childCpuMs() - c0;
  if (r.status !== 0) throw new Error(`tesseract failed on ${file}: ${r.stderr}`);
  const size = execFileSync('/usr/bin/identify', ['-format', '%w %h', file], { encoding: 'utf8' }).split(' ').map(Number);
  return { ms, cpu, page: pageFromTsv(r.stdout, lang, size[0]!, size[1]!) };
}

interface Row { file: string; truth: BillTruth; fields: BillFields }
const acc = (s: Score, f: (typeof SCORED)[number]) => round(s.perField[f].accuracy * 100, 1);

async function runOurs(svc: OcrService, items: Array<{ file: string; path: string; truth: BillTruth }>, psm?: PsmMode, maxPixels?: number): Promise<{ ms: number[]; cpu: number[]; stages: Array<Record<string, number>>; rows: Row[] }> {
  const ms: number[] = [];
  const cpu: number[] = [];
  const stages: Array<Record<string, number>> = [];
  const rows: Row[] = [];
  for (const it of items) {
    const bytes = readFileSync(it.path);
    const c0 = selfCpuMs();
    const t0 = performance.now();
    const r = await svc.recognize(bytes, { lang: it.truth.lang, ...(psm ? { psm } : {}), ...(maxPixels ? { maxPixels } : {}) });
    ms.push(performance.now() - t0);
    cpu.push(selfCpuMs() - c0);
    stages.push({ ...(it.truth.lang === 'eng' ? svc.ppocr.lastStages : svc.engine.lastStages) });
    rows.push({ file: it.file, truth: it.truth, fields: r.fields });
  }
  return { ms, cpu, stages, rows };
}

/**
 * What the previous build's renderer did before OCR for a still over MAX_OCR_PIXELS (its ocrCopy, verbatim
 * in spirit): decode + resize with createImageBitmap, draw, JPEG 0.95, base64. Debian Chromium, ms per run.
 */
async function rendererCopyMs(file: string, runs: number): Promise<number[]> {
  const { chromium } = await import('playwright-core');
  const { CHROMIUM_ARGS, chromiumPath } = await import('../tests/e2e/support/chromium');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent('<html><body></body></html>');
    const b64 = readFileSync(file).toString('base64');
    const info = imageInfo(readFileSync(file));
    return await page.evaluate(`(async () => {
      const bin = atob(${JSON.stringify(b64)}); const bytes = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const out = [];
      for (let r = 0; r < ${runs}; r++) {
        const t0 = performance.now();
        const scale = Math.sqrt(${MAX_OCR_PIXELS} / (${info.width} * ${info.height}));
        const w = Math.round(${info.width} * scale), h = Math.round(${info.height} * scale);
        const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }), { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
        const c = document.createElement('canvas'); c.width = w; c.height = h; c.getContext('2d').drawImage(bmp, 0, 0); bmp.close();
        const blob = await new Promise((res) => c.toBlob(res, 'image/jpeg', 0.95));
        await new Promise((res) => { const fr = new FileReader(); fr.onload = () => res(fr.result); fr.readAsDataURL(blob); });
        out.push(performance.now() - t0);
      }
      return out;
    })()`) as number[];
  } finally {
    await browser.close();
  }
}

/** Median per stage over pages (a stage a page skipped counts as 0 there). */
function stageMedians(stages: Array<Record<string, number>>): Record<string, number> {
  const keys = [...new Set(stages.flatMap((s) => Object.keys(s)))];
  return Object.fromEntries(keys.map((k) => [k, round(median(stages.map((s) => s[k] ?? 0)), 1)]));
}

async function main(): Promise<void> {
  if (spawnSync('tesseract', ['--version']).status !== 0) throw new Error('native tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-jpn)');
  if (RECEIPTS_ONLY) {
    // --ppocr-det=N / --ppocr-squeeze=X try other PP-OCR settings against the same native run (tuning).
    const det = Number(process.argv.find((x) => x.startsWith('--ppocr-det='))?.slice('--ppocr-det='.length) ?? 0);
    const squeeze = Number(process.argv.find((x) => x.startsWith('--ppocr-squeeze='))?.slice('--ppocr-squeeze='.length) ?? 0);
    const svc = createOcrService({ size: 1, ppocr: { ...(det ? { detMaxSide: det } : {}), ...(squeeze ? { rec: { squeeze } } : {}) } });
    const r = await benchReceipts(svc);
    await svc.close();
    if (!r) throw new Error('--receipts-only: the receipts dev set was not found');
    report({ name: 'ocr', metrics: r.metrics, baseline: r.baseline, notes: { ...r.notes, loadavg: (await import('node:os')).loadavg().map((x) => round(x, 2)), cpus: cpus().length } });
    return;
  }
  const manifest = await makeCorpus({ log });
  const all = manifest.entries.map((e) => ({ file: e.file, path: join(DEFAULT_CORPUS_DIR, e.file), truth: e.truth }));
  // --images=N: N images spread over the corpus (every kind of layout and damage, both languages).
  const step = IMAGES > 0 ? Math.max(1, Math.round(all.length / IMAGES)) : 1;
  // The corpus lists each bill's variants together: stepping with a rotating offset picks clean and damaged ones alike.
  const items = step > 1 ? all.filter((_, i) => i % step === Math.floor(i / step) % step).slice(0, IMAGES) : all;
  // A 12 MP phone photo of a bill: the 'photo' damage of the US phone bill, upscaled like a camera would deliver it.
  const phoneDir = join(DEFAULT_CORPUS_DIR, 'bench');
  mkdirSync(phoneDir, { recursive: true });
  const phone = join(phoneDir, 'phone-12mp.jpg');
  if (!existsSync(phone)) execFileSync('/usr/bin/convert', ['-seed', '1', join(DEFAULT_CORPUS_DIR, 'src', 'us-phone.png'), '-background', '#6b5b4b', '-rotate', '-1.6', '-resize', '4032x3024', '-gravity', 'center', '-extent', '4032x3024', '-attenuate', '0.2', '+noise', 'Gaussian', '-quality', '88', phone]);
  // What the agent renderer handed to OCR for such a photo before ocr:readStill: a copy scaled to MAX_OCR_PIXELS.
  const phoneScaled = join(phoneDir, 'phone-12mp-scaled.jpg');
  if (!existsSync(phoneScaled)) execFileSync('/usr/bin/convert', [phone, '-resize', '3200000@', '-quality', '95', phoneScaled]);
  const phoneTruth = manifest.entries.find((e) => e.base === 'us-phone')!.truth;
  const phoneItem = [{ file: 'phone-12mp.jpg', path: phone, truth: phoneTruth }];
  const phoneScaledItem = [{ file: 'phone-12mp-scaled.jpg', path: phoneScaled, truth: phoneTruth }];

  const svc = createOcrService({ size: 1 });
  const tWarm = performance.now();
  await svc.warm('eng');
  await svc.warm('jpn');
  const warmMs = performance.now() - tWarm;
  // The previous build's service, loaded from its own checkout (its own engine, worker and extractor).
  const other: OcrService | null = COMPARE
    ? ((await import(pathToFileURL(join(COMPARE, 'src-main/ocr/service.ts')).href)) as { createOcrService: typeof createOcrService }).createOcrService({ size: 1 })
    : null;
  if (other) { await other.warm('eng'); await other.warm('jpn'); }
  // One untimed pass over two images so the first timed call does not include wasm tier-up.
  for (const s of other ? [svc, other] : [svc]) {
    await runOurs(s, all.slice(0, 1));
    await runOurs(s, all.filter((i) => i.truth.lang === 'jpn').slice(0, 1));
  }
  const theirs = { ms: [] as number[], cpu: [] as number[], stages: [] as Array<Record<string, number>>, rows: [] as Row[] };

  // Interleaved per image (ours, then native) so both see the same machine load.
  log(`ours + native tesseract CLI, interleaved: ${items.length} corpus images`);
  const ours = { ms: [] as number[], cpu: [] as number[], stages: [] as Array<Record<string, number>>, rows: [] as Row[] };
  const nativeMs: number[] = [];
  const nativeCpu: number[] = [];
  const nativeRows: Row[] = [];
  const nativeParams = { preserve_interword_spaces: DEFAULT_PARAMS.preserve_interword_spaces!, thresholding_method: DEFAULT_PARAMS.thresholding_method! };
  for (const [i, it] of items.entries()) {
    // With --compare, who goes first alternates image by image.
    const both = other ? (i % 2 ? [[other, theirs], [svc, ours]] as const : [[svc, ours], [other, theirs]] as const) : [[svc, ours]] as const;
    for (const [s, into] of both) {
      const o = await runOurs(s, [it]);
      into.ms.push(o.ms[0]!); into.cpu.push(o.cpu[0]!); into.stages.push(o.stages[0]!); into.rows.push(o.rows[0]!);
    }
    const n = nativeOcr(it.path, it.truth.lang, DEFAULT_PSM, nativeParams);
    nativeMs.push(n.ms);
    nativeCpu.push(n.cpu);
    const { page, masked } = maskPage(n.page);
    nativeRows.push({ file: it.file, truth: it.truth, fields: extractBill(page, { lang: it.truth.lang, masked }) });
  }
  // The two phone photos: PHONE_RUNS rounds, ours and the CLI alternating; medians (one sample swung ±10 %).
  const PHONE_RUNS = 3;
  const oursPhone = { ms: [] as number[], cpu: [] as number[], stages: [] as Array<Record<string, number>>, ok: true };
  const oursPhoneScaled = { ms: [] as number[], cpu: [] as number[], stages: [] as Array<Record<string, number>>, ok: true };
  const nPhone = { ms: [] as number[], cpu: [] as number[], ok: true };
  const nPhoneScaled = { ms: [] as number[], cpu: [] as number[], ok: true };
  const oursApp = { ms: [] as number[], cpu: [] as number[], stages: [] as Array<Record<string, number>>, ok: true };
  const theirsPhone = { ms: [] as number[], cpu: [] as number[], stages: [] as Array<Record<string, number>>, ok: true };
  const theirsPhoneScaled = { ms: [] as number[], cpu: [] as number[], stages: [] as Array<Record<string, number>>, ok: true };
  const phoneRun = async (s: OcrService, item: typeof phoneItem, into: typeof oursApp, maxPixels?: number) => {
    const r = await runOurs(s, item, undefined, maxPixels);
    into.ms.push(r.ms[0]!); into.cpu.push(r.cpu[0]!); into.stages.push(r.stages[0]!);
    into.ok &&= r.rows[0]!.fields.total?.value === phoneTruth.total;
  };
  for (let run = 0; run < PHONE_RUNS; run++) {
    // The app path: ours reads the stored 12 MP original under the pixel cap; the previous build read its renderer's 3.2 MP copy.
    const app = [() => phoneRun(svc, phoneItem, oursApp, MAX_OCR_PIXELS), ...(other ? [() => phoneRun(other, phoneScaledItem, theirsPhoneScaled), () => phoneRun(other, phoneItem, theirsPhone)] : [])];
    for (const f of run % 2 ? app.reverse() : app) await f();
    for (const [item, file, o, n] of [[phoneItem, phone, oursPhone, nPhone], [phoneScaledItem, phoneScaled, oursPhoneScaled, nPhoneScaled]] as const) {
      const r = await runOurs(svc, item);
      o.ms.push(r.ms[0]!); o.cpu.push(r.cpu[0]!); o.stages.push(r.stages[0]!);
      o.ok &&= r.rows[0]!.fields.total?.value === phoneTruth.total;
      const x = nativeOcr(file, 'eng', DEFAULT_PSM, nativeParams);
      n.ms.push(x.ms); n.cpu.push(x.cpu);
      n.ok &&= extractBill(maskPage(x.page).page, { lang: 'eng' }).total?.value === phoneTruth.total;
    }
  }

  const so = scoreAll(ours.rows), sn = scoreAll(nativeRows);
  const photoIdx = items.map((it, i) => (/--(photo|rotate|shadow|lowlight|blur|jpeg)\./.test(it.file) ? i : -1)).filter((i) => i >= 0);
  const pick = (a: number[], idx: number[]) => idx.map((i) => a[i]!);
  type Phone = { ms: number[]; cpu: number[]; ok: boolean };
  // One set of timing figures per side, the same keys for ours and the CLI.
  const timings = (ms: number[], cpu: number[], phone: Phone, phoneScaled: Phone): Record<string, number | string> => ({
    ms_per_image_median: round(median(ms), 1),
    ms_per_image_p95: round(p95(ms), 1),
    cpu_ms_per_image_median: round(median(cpu), 1),
    ms_damaged_photo_median: round(median(pick(ms, photoIdx)), 1),
    ms_phone_12mp: round(median(phone.ms), 1),
    ms_phone_12mp_scaled_3mp: round(median(phoneScaled.ms), 1),
    cpu_ms_phone_12mp: round(median(phone.cpu), 1),
    cpu_ms_phone_12mp_scaled_3mp: round(median(phoneScaled.cpu), 1),
    phone_12mp_total_ok: phone.ok ? 'yes' : 'no',
    phone_12mp_scaled_total_ok: phoneScaled.ok ? 'yes' : 'no',
  });
  /** The phone photo as each build's app reads it (ours: ocr:readStill on the original; the previous build: its renderer's copy). */
  const appPath = (p: Phone): Record<string, number | string> => ({ ms_phone_12mp_app_path: round(median(p.ms), 1), cpu_ms_phone_12mp_app_path: round(median(p.cpu), 1), phone_12mp_app_path_total_ok: p.ok ? 'yes' : 'no' });
  const metrics = { ...timings(ours.ms, ours.cpu, oursPhone, oursPhoneScaled), ...appPath(oursApp) };
  const baseline = timings(nativeMs, nativeCpu, nPhone, nPhoneScaled);
  for (const f of SCORED) { metrics[`acc_${f}_pct`] = acc(so, f); baseline[`acc_${f}_pct`] = acc(sn, f); }
  let compare: Record<string, unknown> | undefined;
  if (other) {
    const st = scoreAll(theirs.rows);
    const cm: Record<string, number | string> = { ...timings(theirs.ms, theirs.cpu, theirsPhone, theirsPhoneScaled), ...appPath(theirsPhoneScaled) };
    // The previous build's renderer made the 3.2 MP copy first (it knew the still's size from the transfer).
    const copy = await rendererCopyMs(phone, PHONE_RUNS);
    cm.ms_renderer_copy_12mp = round(median(copy), 1);
    cm.ms_phone_12mp_app_path_with_copy = round(median(theirsPhoneScaled.ms) + median(copy), 1);
    metrics.ms_renderer_copy_12mp = 0;
    metrics.ms_phone_12mp_app_path_with_copy = metrics.ms_phone_12mp_app_path!;
    for (const f of SCORED) cm[`acc_${f}_pct`] = acc(st, f);
    console.log(`\n# ours vs --compare=${COMPARE} (interleaved, ${items.length} corpus images each, phone photos ${PHONE_RUNS}x; medians)`);
    for (const [k, o] of Object.entries(metrics)) {
      const t = cm[k];
      if (t === undefined) continue;
      const ratio = typeof o === 'number' && typeof t === 'number' && t ? round(o / t, 2) : '';
      console.log(`${k.padEnd(34)} ${String(o).padStart(8)} ${String(t).padStart(8)}  ${ratio}`);
    }
    compare = { dir: COMPARE, images: items.length, metrics: cm, profile_ms: { corpus_median: stageMedians(theirs.stages), phone_12mp_scaled_3mp: stageMedians(theirsPhoneScaled.stages) }, misses: st.misses };
  }
  const notes: Record<string, unknown> = {
    images: items.length, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavg: (await import('node:os')).loadavg().map((x) => round(x, 2)),
    warm_two_workers_ms: round(warmMs, 0), psm: DEFAULT_PSM, params: DEFAULT_PARAMS,
    models: { eng: langFile('eng'), jpn: langFile('jpn') },
    ours_is: 'tesseract.js 7 core (WebAssembly) in one warm worker thread; one decode, skew + text size from a layout probe, deskew, scale to ~40 px lines, PSM 4 + Sauvola, one PSM 6 pass only when no total is found; masking + extraction',
    baseline_is: 'native tesseract 5.3 CLI, one process per image, OMP_THREAD_LIMIT=1, same psm/params, its installed (tessdata_fast) models, TSV through the same extractor',
    profile_ms: { corpus_median: stageMedians(ours.stages), phone_12mp: stageMedians(oursPhone.stages), phone_12mp_scaled_3mp: stageMedians(oursPhoneScaled.stages) },
    phone_runs_ms: { ours_12mp: oursPhone.ms.map((x) => round(x, 0)), native_12mp: nPhone.ms.map((x) => round(x, 0)), ours_3mp: oursPhoneScaled.ms.map((x) => round(x, 0)), native_3mp: nPhoneScaled.ms.map((x) => round(x, 0)) },
    misses_ours: so.misses, misses_native: sn.misses,
    profile_ms_app_path: stageMedians(oursApp.stages),
    ...(compare ? { compare } : {}),
    per_image_ms: Object.fromEntries(items.map((it, i) => [it.file, { ours: round(ours.ms[i]!, 0), native: round(nativeMs[i]!, 0), ...(other ? { previous: round(theirs.ms[i]!, 0) } : {}) }])),
  };

  if (sweep) {
    const table: Record<string, unknown> = {};
    for (const th of ['0', '2']) for (const psm of ['3', '4', '6', '11'] as PsmMode[]) {
      const s2 = createOcrService({ size: 1, psm, params: { thresholding_method: th } });
      const r = await runOurs(s2, items, psm);
      await s2.close();
      const sc = scoreAll(r.rows);
      table[`psm${psm}_th${th}`] = { ms_median: round(median(r.ms), 1), ...Object.fromEntries(SCORED.map((f) => [f, acc(sc, f)])) };
      log(`sweep psm ${psm} thresholding ${th}: ${JSON.stringify(table[`psm${psm}_th${th}`])}`);
    }
    const variants: Record<string, EngineOptions> = {
      eng_best_int: { models: { eng: ['best_int'] } },
      no_text_scaling: { targetLinePx: 0 },
      angle_from_psm4_layout: { anglePsm: '4' },
    };
    for (const [name, o] of Object.entries(variants)) {
      const s2 = createOcrService({ size: 1, ...o });
      const r = await runOurs(s2, [...items, ...phoneItem, ...phoneScaledItem]);
      await s2.close();
      const sc = scoreAll(r.rows.slice(0, items.length));
      table[name] = { ms_median: round(median(r.ms.slice(0, items.length)), 1), cpu_ms_median: round(median(r.cpu.slice(0, items.length)), 1), ms_phone_12mp: round(r.ms[items.length]!, 1), ms_phone_12mp_scaled_3mp: round(r.ms[items.length + 1]!, 1), ...Object.fromEntries(SCORED.map((f) => [f, acc(sc, f)])) };
      log(`sweep ${name}: ${JSON.stringify(table[name])}`);
    }
    notes.sweep = table;
  }
  const rec = await benchReceipts(svc);
  if (rec) { Object.assign(metrics, rec.metrics); Object.assign(baseline, rec.baseline); Object.assign(notes, rec.notes); }
  await svc.close();
  await other?.close();
  report({ name: 'ocr', metrics, baseline, notes });
}

main().catch((e) => { console.error(e); process.exit(1); });
