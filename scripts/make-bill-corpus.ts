/**
 * Generates the bill/receipt corpus: HTML bills (English and Japanese, several
 * countries and layouts) rendered by headless Chromium, then damaged like
 * phone photos with ImageMagick (/usr/bin/convert: /usr/local/bin may hold a
 * stand-in). Writes assets/generated/bills/{*.png,*.jpg,manifest.json} and a
 * fake-camera clip for the end-to-end test. Cached: nothing is redone when
 * the manifest's version matches.
 *
 *   npx tsx scripts/make-bill-corpus.ts [--force] [--out DIR]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { billHtml } from './bill-corpus/html';
import { buildTruths, fraudTwin, type BillTruth, type CorpusEntry, type CorpusManifest } from './bill-corpus/truth';

export const CORPUS_VERSION = 3;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CORPUS_DIR = join(ROOT, 'assets/generated/bills');
const CONVERT = '/usr/bin/convert';

/** Photo-like damage, each an ImageMagick argument list between input and output. */
const DAMAGE: Record<string, { args: string[]; ext: 'png' | 'jpg' }> = {
  clean: { args: [], ext: 'png' },
  rotate: { args: ['-background', '#8a8a8a', '-rotate', '2.5', '-quality', '88'], ext: 'jpg' },
  blur: { args: ['-blur', '0x1.2', '-quality', '90'], ext: 'jpg' },
  shadow: { args: ['(', '+clone', '-sparse-color', 'Barycentric', '0,0 gray(40%) %w,%h white', ')', '-compose', 'multiply', '-composite', '-quality', '88'], ext: 'jpg' },
  lowlight: { args: ['-level', '0%,100%,0.55', '-brightness-contrast', '-25x-30', '-attenuate', '0.35', '+noise', 'Gaussian', '-quality', '85'], ext: 'jpg' },
  jpeg: { args: ['-quality', '28'], ext: 'jpg' },
  photo: { args: ['-background', '#6b5b4b', '-rotate', '-1.6', '(', '+clone', '-sparse-color', 'Barycentric', '0,%h gray(55%) %w,0 white', ')', '-compose', 'multiply', '-composite', '-resize', '85%', '-quality', '70'], ext: 'jpg' },
};
const ROTATION = ['rotate', 'blur', 'shadow', 'lowlight', 'jpeg', 'photo'];

export function readManifest(dir = DEFAULT_CORPUS_DIR): CorpusManifest | null {
  const f = join(dir, 'manifest.json');
  if (!existsSync(f)) return null;
  try { return JSON.parse(readFileSync(f, 'utf8')) as CorpusManifest; } catch { return null; }
}

async function renderAll(docs: Array<{ name: string; html: string; scale: number }>, dir: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser', process.env.CHROMIUM_PATH].find((p) => p && existsSync(p));
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const d of docs) {
      const ctx = await browser.newContext({ deviceScaleFactor: d.scale, viewport: { width: 1000, height: 800 } });
      const page = await ctx.newPage();
      await page.setContent(d.html, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      await page.locator('.doc').screenshot({ path: join(dir, `${d.name}.png`) });
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
}

function damage(src: string, dst: string, kind: string): void {
  const d = DAMAGE[kind]!;
  execFileSync(CONVERT, [src, ...d.args, dst], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A one-frame YUV4MPEG2 clip Chromium's fake camera loops (recipe in TESTING.md).
 * This machine's ImageMagick policy refuses the `yuv:` coder, so convert only
 * fits the page into the frame as raw RGB and the 4:2:0 planes (BT.601, full
 * range as C420jpeg says) are computed here.
 */
export function makeY4m(png: string, out: string, w = 1920, h = 1080): void {
  const rgb = execFileSync(CONVERT, [png, '-resize', `${w}x${h}`, '-background', 'white', '-gravity', 'center', '-extent', `${w}x${h}`,
    '-depth', '8', 'rgb:-'], { maxBuffer: w * h * 3 + 1024 });
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2));
  const v = Buffer.alloc((w / 2) * (h / 2));
  const clamp = (n: number) => (n < 0 ? 0 : n > 255 ? 255 : Math.round(n));
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) {
    const o = (j * w + i) * 3;
    y[j * w + i] = clamp(0.299 * rgb[o]! + 0.587 * rgb[o + 1]! + 0.114 * rgb[o + 2]!);
  }
  for (let j = 0; j < h / 2; j++) for (let i = 0; i < w / 2; i++) {
    let r = 0, g = 0, b = 0;
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
      const o = ((2 * j + dy) * w + 2 * i + dx) * 3;
      r += rgb[o]!; g += rgb[o + 1]!; b += rgb[o + 2]!;
    }
    r /= 4; g /= 4; b /= 4;
    u[j * (w / 2) + i] = clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
    v[j * (w / 2) + i] = clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
  }
  const fd = openSync(out, 'w');
  writeSync(fd, `YUV4MPEG2 W${w} H${h} F30:1 Ip A1:1 C420jpeg\nFRAME\n`);
  writeSync(fd, y); writeSync(fd, u); writeSync(fd, v);
  closeSync(fd);
}

export async function makeCorpus(opts: { dir?: string; force?: boolean; log?: (s: string) => void } = {}): Promise<CorpusManifest> {
  const dir = opts.dir ?? DEFAULT_CORPUS_DIR;
  const log = opts.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const existing = readManifest(dir);
  if (!opts.force && existing?.version === CORPUS_VERSION && existing.entries.every((e) => existsSync(join(dir, e.file)))) {
    log(`bill corpus: cached (${existing.entries.length} images in ${dir})`);
    return existing;
  }
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'camera'), { recursive: true });
  const truths = buildTruths();
  const phone = truths.find((t) => t.id === 'us-phone')!;
  const twin = fraudTwin(phone);
  const docs = [...truths, twin].map((t) => ({ name: t.id, html: billHtml(t), scale: t.layout === 'receipt' ? 2 : 1.5 }));
  const t0 = Date.now();
  await renderAll(docs, join(dir, 'src'));
  log(`bill corpus: rendered ${docs.length} documents in ${Date.now() - t0} ms`);

  const entries: CorpusEntry[] = [];
  truths.forEach((t: BillTruth, i) => {
    const kinds = ['clean', ROTATION[(i * 2) % ROTATION.length]!, ROTATION[(i * 2 + 1) % ROTATION.length]!];
    for (const kind of kinds) {
      const file = `${t.id}--${kind}.${DAMAGE[kind]!.ext}`;
      damage(join(dir, 'src', `${t.id}.png`), join(dir, file), kind);
      entries.push({ file, base: t.id, damage: kind, truth: t });
    }
  });
  // End-to-end fixtures: the bill on the customer's camera, and its fraud twin as a "gallery photo".
  makeY4m(join(dir, 'src', 'us-phone.png'), join(dir, 'camera', 'us-phone.y4m'));
  damage(join(dir, 'src', `${twin.id}.png`), join(dir, 'camera', `${twin.id}.jpg`), 'rotate');
  writeFileSync(join(dir, 'camera', 'truth.json'), JSON.stringify({ camera: phone, gallery: twin }, null, 2));

  const manifest: CorpusManifest = { version: CORPUS_VERSION, entries };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  log(`bill corpus: ${entries.length} images in ${dir} (${Date.now() - t0} ms)`);
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  makeCorpus({ force: args.includes('--force'), dir: outIdx >= 0 ? resolve(args[outIdx + 1]!) : undefined })
    .catch((e) => { console.error(e); process.exit(1); });
}
