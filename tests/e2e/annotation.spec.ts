/**
 * Live annotation end to end: the real workstation (web host) and the real
 * customer page in two Chromium contexts, fake camera (the panning bill clip),
 * real signaling and WebRTC data channel. The agent draws with real pointer
 * events on the Konva stage; the customer's screenshot is checked on pixels at
 * positions computed here, independently of the code under test, from each
 * page's own <video> box (object-fit: contain) and the normalised coordinates.
 * The customer uses a portrait phone viewport, the agent a landscape desktop,
 * so the same normalised point lands on very different pixels on each.
 */
import type { Page } from '@playwright/test';
import type {} from '../../src-renderer/annotation/globals';
import { test, expect, type AgentHandle, type CustomerHandle } from './support/call-fixtures';

interface Box { left: number; top: number; x: number; y: number; w: number; h: number }

/** Where the picture is on the page (contain fit, centred), from the <video> itself. */
async function pictureBox(page: Page, testId: string): Promise<Box> {
  const v = await page.getByTestId(testId).evaluate((el) => {
    const video = el as HTMLVideoElement;
    const r = video.getBoundingClientRect();
    return { left: r.left, top: r.top, bw: r.width, bh: r.height, vw: video.videoWidth, vh: video.videoHeight, fit: getComputedStyle(video).objectFit };
  });
  expect(v.fit).toBe('contain');
  const s = Math.min(v.bw / v.vw, v.bh / v.vh);
  const w = v.vw * s, h = v.vh * s;
  return { left: v.left, top: v.top, x: v.left + (v.bw - w) / 2, y: v.top + (v.bh - h) / 2, w, h };
}
const at = (b: Box, nx: number, ny: number) => ({ x: b.x + nx * b.w, y: b.y + ny * b.h });

type Rgb = [number, number, number];
/** Pixels of a full-page screenshot, decoded in the page (no PNG library needed). */
async function screenshotPixels(page: Page): Promise<(x: number, y: number) => Rgb> {
  const png = (await page.screenshot()).toString('base64');
  const { w, data } = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext('2d')!;
    g.drawImage(bmp, 0, 0);
    return { w: bmp.width, data: Array.from(g.getImageData(0, 0, bmp.width, bmp.height).data) };
  }, png);
  return (x, y) => { const i = (Math.round(y) * w + Math.round(x)) * 4; return [data[i]!, data[i + 1]!, data[i + 2]!]; };
}

/** Is there a pixel matching `pred` within `r` px of (x, y)? */
function near(px: (x: number, y: number) => Rgb, x: number, y: number, r: number, pred: (c: Rgb) => boolean): boolean {
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (pred(px(x + dx, y + dy))) return true;
  return false;
}
const isRed = ([r, g, b]: Rgb) => r > 170 && r - Math.max(g, b) > 90;
const isBlue = ([r, g, b]: Rgb) => b > 170 && b - r > 100;
const isYellow = ([r, g, b]: Rgb) => r > 190 && g > 150 && b < 90;

/** The marks the agent draws, in normalised frame coordinates. */
const ARROW = { x1: 0.2, y1: 0.35, x2: 0.45, y2: 0.6 };
const CIRCLE = { x1: 0.6, y1: 0.3, x2: 0.85, y2: 0.65 };

function arrowSamples() {
  return [0.1, 0.3, 0.5, 0.7].map((k) => ({ x: ARROW.x1 + (ARROW.x2 - ARROW.x1) * k, y: ARROW.y1 + (ARROW.y2 - ARROW.y1) * k }));
}
function ellipseSamples() {
  const cx = (CIRCLE.x1 + CIRCLE.x2) / 2, cy = (CIRCLE.y1 + CIRCLE.y2) / 2, rx = (CIRCLE.x2 - CIRCLE.x1) / 2, ry = (CIRCLE.y2 - CIRCLE.y1) / 2;
  return Array.from({ length: 12 }, (_, i) => ({ x: cx + rx * Math.cos((i * Math.PI) / 6), y: cy + ry * Math.sin((i * Math.PI) / 6) }));
}

/** Check the customer's screen shows the arrow (red) and the circle (blue) where they belong, and nothing red/blue elsewhere. */
async function expectMarksOnCustomer(customer: CustomerHandle) {
  const box = await pictureBox(customer.page, 'local-video');
  const px = await screenshotPixels(customer.page);
  for (const p of arrowSamples()) { const s = at(box, p.x, p.y); expect(near(px, s.x, s.y, 3, isRed), `red arrow at (${p.x.toFixed(2)}, ${p.y.toFixed(2)}) -> ${s.x.toFixed(0)},${s.y.toFixed(0)}`).toBe(true); }
  const tip = at(box, ARROW.x2, ARROW.y2);
  expect(near(px, tip.x, tip.y, 3, isRed), 'arrow tip').toBe(true);
  for (const p of ellipseSamples()) { const s = at(box, p.x, p.y); expect(near(px, s.x, s.y, 3, isBlue), `blue circle at (${p.x.toFixed(2)}, ${p.y.toFixed(2)})`).toBe(true); }
  // Nothing where nothing was drawn: the circle's centre, and beside the arrow.
  const c = at(box, (CIRCLE.x1 + CIRCLE.x2) / 2, (CIRCLE.y1 + CIRCLE.y2) / 2);
  expect(near(px, c.x, c.y, 3, isBlue), 'circle centre is empty').toBe(false);
  const off = at(box, 0.45, 0.35);
  expect(near(px, off.x, off.y, 3, isRed), 'no red beside the arrow').toBe(false);
}

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

async function startCall(agent: AgentHandle, openCustomer: (url: string, o?: { viewport?: { width: number; height: number } }) => Promise<CustomerHandle>) {
  const customer = await openCustomer(await agent.newInvite(), { viewport: { width: 390, height: 844 } });
  await customer.startCamera();
  await agent.waitConnected();
  await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');
  await expect(agent.page.getByTestId('annotation-stage')).toBeVisible();
  await expect(customer.page.getByTestId('customer-annotation')).toBeVisible();
  return customer;
}

test.describe('live annotation', () => {
  test('marks drawn by the agent appear at the same normalised spots on the customer screen; taps, freeze and reload work', async ({ agent, openCustomer }) => {
    test.setTimeout(120_000);
    const customer = await startCall(agent, openCustomer);
    const stage = agent.page.getByTestId('annotation-stage');
    const shapesOnCustomer = customer.page.getByTestId('customer-annotation');

    await test.step('the agent draws a red arrow and a blue circle with the mouse', async () => {
      const box = await pictureBox(agent.page, 'remote-video');
      await agent.page.keyboard.press('1'); // red
      await agent.page.keyboard.press(']'); // thick
      await agent.page.keyboard.press('a');
      await expect(agent.page.getByTestId('tool-arrow')).toHaveAttribute('aria-pressed', 'true');
      await drag(agent.page, at(box, ARROW.x1, ARROW.y1), at(box, ARROW.x2, ARROW.y2));
      await agent.page.keyboard.press('4'); // blue
      await agent.page.keyboard.press('e');
      await drag(agent.page, at(box, CIRCLE.x1, CIRCLE.y1), at(box, CIRCLE.x2, CIRCLE.y2));
      await expect(stage).toHaveAttribute('data-shapes', '2');
      await expect(shapesOnCustomer).toHaveAttribute('data-shapes', '2');
    });

    await test.step('the customer screenshot shows them at the same normalised positions', async () => {
      await expectMarksOnCustomer(customer);
    });

    await test.step('a customer tap pulses on the agent screen at the same spot', async () => {
      const cbox = await pictureBox(customer.page, 'local-video');
      const tap = at(cbox, 0.3, 0.8);
      await customer.page.mouse.click(tap.x, tap.y);
      await agent.page.waitForFunction(() => (window.__annotationAgent?.scene?.pulseCount() ?? 0) > 0);
      const abox = await pictureBox(agent.page, 'remote-video');
      const px = await screenshotPixels(agent.page);
      const want = at(abox, 0.3, 0.8);
      expect(near(px, want.x, want.y, 4, isYellow), `pulse at ${want.x.toFixed(0)},${want.y.toFixed(0)}`).toBe(true);
      const elsewhere = at(abox, 0.8, 0.2);
      expect(near(px, elsewhere.x, elsewhere.y, 4, isYellow)).toBe(false);
    });

    await test.step('freeze: both screens show the same still (the customer’s own frame), then resume live', async () => {
      await agent.page.keyboard.press('f');
      await expect(stage).toHaveAttribute('data-frozen', 'sharp');
      await expect(shapesOnCustomer).toHaveAttribute('data-frozen', 'yes');
      await expect(customer.page.getByTestId('customer-frozen-banner')).toBeVisible();
      // Hashed in each page (no eval under the pages' CSP, so the digest code is inlined twice).
      const agentStill = await agent.page.evaluate(async () => {
        const a = window.__annotationAgent!;
        const d = await crypto.subtle.digest('SHA-256', a.still!.bytes! as Uint8Array<ArrayBuffer>);
        return { hash: Array.from(new Uint8Array(d)).map((b) => b.toString(16).padStart(2, '0')).join(''), w: a.still!.w, h: a.still!.h };
      });
      const customerStill = await customer.page.evaluate(async () => {
        const c = window.__annotationCustomer!;
        const d = await crypto.subtle.digest('SHA-256', c.lastStill!.bytes as Uint8Array<ArrayBuffer>);
        return { hash: Array.from(new Uint8Array(d)).map((b) => b.toString(16).padStart(2, '0')).join(''), w: (document.querySelector('[data-testid="local-video"]') as HTMLVideoElement).videoWidth };
      });
      expect(agentStill.hash).toBe(customerStill.hash);
      expect(agentStill.w).toBe(customerStill.w); // full camera resolution, not the received stream's
      // Each screen really shows a still (the backdrop layer is painted) that stays put while the camera keeps panning.
      const backdrop = (page: Page, testId: string) => page.getByTestId(testId).evaluate(async (el) => {
        const canvas = el.querySelector('canvas')!; // Konva's first layer = the still
        const sample = () => {
          const g = canvas.getContext('2d')!;
          const d = g.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0, sum = 0;
          for (let i = 0; i < d.length; i += 4 * 97) { if (d[i + 3]! > 0) painted++; sum += d[i]! + d[i + 1]! * 3 + d[i + 2]! * 7; }
          return { painted: painted / (d.length / (4 * 97)), sum };
        };
        const a = sample();
        await new Promise((r) => setTimeout(r, 500));
        return { a, b: sample() };
      });
      for (const [page, id] of [[agent.page, 'annotation-stage'], [customer.page, 'customer-annotation']] as const) {
        const { a, b } = await backdrop(page, id);
        expect(a.painted, `${id}: still covers the picture`).toBeGreaterThan(0.25);
        expect(b.sum, `${id}: still does not change`).toBe(a.sum);
      }
      // Marks stay on the still for the customer.
      await expectMarksOnCustomer(customer);
      await agent.page.keyboard.press('f');
      await expect(stage).toHaveAttribute('data-frozen', 'no');
      await expect(shapesOnCustomer).toHaveAttribute('data-frozen', 'no');
    });

    await test.step('a malformed operation is refused and reported, never drawn', async () => {
      await agent.page.evaluate(() => {
        const m = (window as unknown as { __agentCall: { messenger: { send(ns: string, msg: unknown): unknown } } }).__agentCall.messenger;
        m.send('annotation', { t: 'ops', ops: [{ op: 'add', shape: { kind: 'rect', id: 'evil-1', v: 1, clock: 999, by: 'evil', z: 999, x: 0.1, y: 0.1, w: 50, h: 0.2, style: { color: '#ff0000', width: 0.01 } } }] });
        m.send('annotation', { t: 'ops', ops: [{ op: 'add', shape: { kind: 'pen', id: 'evil-2', v: 1, clock: 999, by: 'evil', z: 999, points: new Array(5000).fill(0.5), style: { color: '#ff0000', width: 0.01 } } }] });
      });
      await expect(agent.page.getByTestId('annotation-status')).toContainText(/refused \(2\)/);
      expect(await customer.page.evaluate(() => window.__annotationCustomer!.sync!.rejections.map((r) => r.code))).toEqual(['oversized', 'oversized']);
      await expect(shapesOnCustomer).toHaveAttribute('data-shapes', '2');
    });

    await test.step('after a reload the customer receives the current marks', async () => {
      await customer.page.reload();
      await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected', { timeout: 20_000 });
      await expect(customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-synced', 'yes');
      await expect(customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-shapes', '2');
      await customer.page.waitForFunction(() => { const v = document.querySelector<HTMLVideoElement>('[data-testid="local-video"]'); return !!v && v.videoWidth > 0; });
      await expectMarksOnCustomer(customer);
    });
  });

  test('undo, redo and clear on the agent side reach the customer', async ({ agent, openCustomer }) => {
    const customer = await startCall(agent, openCustomer);
    const box = await pictureBox(agent.page, 'remote-video');
    const onCustomer = customer.page.getByTestId('customer-annotation');
    await agent.page.keyboard.press('r');
    await drag(agent.page, at(box, 0.2, 0.4), at(box, 0.4, 0.6));
    await agent.page.keyboard.press('n');
    await agent.page.mouse.click(at(box, 0.7, 0.5).x, at(box, 0.7, 0.5).y);
    await expect(onCustomer).toHaveAttribute('data-shapes', '2');
    await agent.page.keyboard.press('Control+z');
    await expect(onCustomer).toHaveAttribute('data-shapes', '1');
    await agent.page.keyboard.press('Control+Shift+z');
    await expect(onCustomer).toHaveAttribute('data-shapes', '2');
    // Select the rectangle by clicking its edge, move it, delete it.
    await agent.page.keyboard.press('v');
    await agent.page.mouse.click(at(box, 0.2, 0.5).x, at(box, 0.2, 0.5).y);
    await expect(agent.page.getByTestId('annot-delete')).toBeEnabled();
    await agent.page.keyboard.press('Delete');
    await expect(onCustomer).toHaveAttribute('data-shapes', '1');
    await agent.page.keyboard.press('Shift+Delete');
    await expect(onCustomer).toHaveAttribute('data-shapes', '0');
    await agent.page.keyboard.press('Control+z');
    await expect(onCustomer).toHaveAttribute('data-shapes', '1');
    // Tooltips name the shortcut (en), and switch language with the UI.
    await expect(agent.page.getByTestId('tool-ellipse')).toHaveAttribute('title', 'Circle / ellipse (E)');
  });
});
