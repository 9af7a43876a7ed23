/**
 * A fake camera clip for end-to-end tests and the call benchmark: a sample
 * utility bill rendered by Debian Chromium, turned into a short YUV4MPEG2
 * clip that pans a few pixels per frame (so "the video is moving" is
 * observable), which Chromium loops via --use-file-for-fake-video-capture.
 *
 *   npx tsx scripts/make-fake-camera.ts [--force] [--out tests/.tmp/fake-camera/bill.y4m]
 *
 * Cached: skipped when the output exists (unless --force). Needs ImageMagick
 * (/usr/bin/convert) for PNG -> raw RGB; the YUV conversion is done here.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_FAKE_CAMERA = join(ROOT, 'tests/.tmp/fake-camera/bill.y4m');
const W = 1280, H = 720, FRAMES = 12, PAN = 3;

const BILL_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#d9d4cc;font-family:"DejaVu Sans",Arial,sans-serif;}
.sheet{position:absolute;left:250px;top:30px;width:780px;height:660px;background:#fff;box-shadow:0 4px 18px rgba(0,0,0,.35);padding:28px 40px;box-sizing:border-box;color:#111}
h1{margin:0;font-size:34px;color:#0b3d91} .sub{font-size:16px;color:#444;margin-bottom:14px}
table{width:100%;border-collapse:collapse;font-size:21px} td{padding:7px 4px;border-bottom:1px solid #ccc} td.a{text-align:right;font-variant-numeric:tabular-nums}
.tot td{font-weight:bold;font-size:25px;border-top:3px solid #111} .meta{display:flex;justify-content:space-between;font-size:17px;margin:10px 0 16px}
.bar{height:14px;background:repeating-linear-gradient(90deg,#111 0 3px,#fff 3px 7px);margin-top:18px}
</style></head><body><div class="sheet">
<h1>NORTHWIND ENERGY</h1><div class="sub">Electricity statement · Customer service 0120-555-0199</div>
<div class="meta"><span>Account 4471-2290-18</span><span>Bill date 2026-10-31</span><span>Due 2026-11-20</span></div>
<table>
<tr><td>Previous balance</td><td class="a">$84.20</td></tr>
<tr><td>Payment received - thank you</td><td class="a">-$84.20</td></tr>
<tr><td>Energy charge 612 kWh</td><td class="a">$97.92</td></tr>
<tr><td>Delivery charge</td><td class="a">$31.45</td></tr>
<tr><td>Late payment fee</td><td class="a">$25.00</td></tr>
<tr><td>Taxes and levies</td><td class="a">$9.87</td></tr>
<tr class="tot"><td>Amount due</td><td class="a">$164.24</td></tr>
</table><div class="bar"></div></div></body></html>`;

async function renderPng(png: string): Promise<void> {
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!executablePath) throw new Error('Debian chromium not found (apt-get install -y chromium)');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: W + PAN * FRAMES, height: H } });
    await page.setContent(BILL_HTML);
    await page.screenshot({ path: png });
  } finally {
    await browser.close();
  }
}

/** BT.601 full-range RGB -> Y, and 2x2-averaged Cb/Cr (what C420jpeg means). */
function frameYuv(rgb: Uint8Array, srcW: number, offX: number): Uint8Array {
  const out = new Uint8Array(W * H * 1.5);
  const u0 = W * H, v0 = u0 + (W * H) / 4;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * srcW + x + offX) * 3;
      out[y * W + x] = Math.round(0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!);
    }
  }
  for (let y = 0; y < H; y += 2) {
    for (let x = 0; x < W; x += 2) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const i = ((y + dy) * srcW + x + dx + offX) * 3;
        r += rgb[i]!; g += rgb[i + 1]!; b += rgb[i + 2]!;
      }
      r /= 4; g /= 4; b /= 4;
      const k = (y / 2) * (W / 2) + x / 2;
      out[u0 + k] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
      out[v0 + k] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
    }
  }
  return out;
}

export async function makeFakeCamera(out = DEFAULT_FAKE_CAMERA, force = false): Promise<string> {
  if (existsSync(out) && !force) return out;
  mkdirSync(dirname(out), { recursive: true });
  const png = out.replace(/\.y4m$/, '.png');
  const raw = out.replace(/\.y4m$/, '.rgb');
  await renderPng(png);
  const srcW = W + PAN * FRAMES;
  execFileSync('/usr/bin/convert', [png, '-alpha', 'off', '-resize', `${srcW}x${H}!`, '-depth', '8', `rgb:${raw}`]);
  const rgb = new Uint8Array(readFileSync(raw));
  if (rgb.length !== srcW * H * 3) throw new Error(`unexpected raw size ${rgb.length}`);
  const tmp = `${out}.part`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\n`);
    // Pan right then back, so the loop has no jump.
    const seq = [...Array(FRAMES).keys(), ...[...Array(FRAMES).keys()].reverse()];
    for (const f of seq) {
      writeSync(fd, 'FRAME\n');
      writeSync(fd, frameYuv(rgb, srcW, f * PAN));
    }
  } finally {
    closeSync(fd);
  }
  execFileSync('mv', [tmp, out]);
  unlinkSync(raw);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const out = outIdx >= 0 && args[outIdx + 1] ? resolve(args[outIdx + 1]!) : DEFAULT_FAKE_CAMERA;
  makeFakeCamera(out, args.includes('--force')).then((p) => console.log(`fake camera: ${p}`), (err: unknown) => { console.error(err); process.exit(1); });
}
