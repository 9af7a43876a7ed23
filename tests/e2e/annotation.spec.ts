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

type Colour = 'red' | 'blue' | 'yellow';
interface Probe { x: number; y: number; colour: Colour; label: string }

/**
 * Take a screenshot and answer, for each probe, whether a pixel of that colour
 * lies within `r` px of it. Decoded and scanned inside the page (no PNG
 * library, and only booleans cross the wire).
 */
async function screenshotHas(page: Page, probes: Probe[], r = 3): Promise<Record<string, boolean>> {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(async ({ b64, probes, r }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext('2d')!;
    g.drawImage(bmp, 0, 0);
    const img = g.getImageData(0, 0, bmp.width, bmp.height);
    const is: Record<string, (p: [number, number, number]) => boolean> = {
      red: ([R, G, B]) => R > 170 && R - Math.max(G, B) > 90,
      blue: ([R, , B]) => B > 170 && B - R > 100,
      yellow: ([R, G, B]) => R > 190 && G > 150 && B < 90,
    };
    const out: Record<string, boolean> = {};
    for (const p of probes) {
      let hit = false;
      for (let dy = -r; dy <= r && !hit; dy++) for (let dx = -r; dx <= r && !hit; dx++) {
        const x = Math.round(p.x + dx), y = Math.round(p.y + dy);
        if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
        const i = (y * img.width + x) * 4;
        hit = is[p.colour]!([img.data[i]!, img.data[i + 1]!, img.data[i + 2]!]);
      }
      out[p.label] = hit;
    }
    return out;
  }, { b64: png, probes, r });
}

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
  const probe = (p: { x: number; y: number }, colour: Colour, what: string): Probe => ({ ...at(box, p.x, p.y), colour, label: `${what} at (${p.x.toFixed(2)}, ${p.y.toFixed(2)})` });
  const present = [
    ...arrowSamples().map((p) => probe(p, 'red', 'arrow')),
    probe({ x: ARROW.x2, y: ARROW.y2 }, 'red', 'arrow tip'),
    ...ellipseSamples().map((p) => probe(p, 'blue', 'circle')),
  ];
  // Nothing where nothing was drawn: the circle's centre, and beside the arrow.
  const absent = [
    probe({ x: (CIRCLE.x1 + CIRCLE.x2) / 2, y: (CIRCLE.y1 + CIRCLE.y2) / 2 }, 'blue', 'circle centre'),
    probe({ x: 0.45, y: 0.35 }, 'red', 'beside the arrow'),
  ];
  const seen = await screenshotHas(customer.page, [...present, ...absent]);
  expect(Object.fromEntries(present.map((p) => [p.label, seen[p.label]]))).toEqual(Object.fromEntries(present.map((p) => [p.label, true])));
  expect(Object.fromEntries(absent.map((p) => [p.label, seen[p.label]]))).toEqual(Object.fromEntries(absent.map((p) => [p.label, false])));
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
  // Shortcuts are ignored while typing in a field: leave the invite link field.
  await agent.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return customer;
}

/** Red thick arrow, then a blue circle, with real mouse drags on the agent stage; both reach the customer. */
async function drawArrowAndCircle(agent: AgentHandle, customer: CustomerHandle) {
  const box = await pictureBox(agent.page, 'remote-video');
  await agent.page.keyboard.press('1'); // red
  await agent.page.keyboard.press(']'); // thick
  await agent.page.keyboard.press('a');
  await expect(agent.page.getByTestId('tool-arrow')).toHaveAttribute('aria-pressed', 'true');
  await drag(agent.page, at(box, ARROW.x1, ARROW.y1), at(box, ARROW.x2, ARROW.y2));
  await agent.page.keyboard.press('4'); // blue
  await agent.page.keyboard.press('e');
  await drag(agent.page, at(box, CIRCLE.x1, CIRCLE.y1), at(box, CIRCLE.x2, CIRCLE.y2));
  await expect(agent.page.getByTestId('annotation-stage')).toHaveAttribute('data-shapes', '2');
  await expect(customer.page.getByTestId('customer-annotation')).toHaveAttribute('data-shapes', '2');
}

test.describe('live annotation', () => {
  test('marks drawn by the agent appear at the same normalised spots on the customer screen; taps point back; bad ops are refused', async ({ agent, openCustomer }) => {
    // Generous: on a loaded 2-core CI box each browser step can take seconds; the work itself is ~20 s.
    test.setTimeout(360_000);
    const customer = await startCall(agent, openCustomer);
    const stage = agent.page.getByTestId('annotation-stage');
    const shapesOnCustomer = customer.page.getByTestId('customer-annotation');

    await test.step('the agent draws a red arrow and a blue circle with the mouse', () => drawArrowAndCircle(agent, customer));

    await test.step('the customer screenshot shows them at the same normalised positions', async () => {
      await expectMarksOnCustomer(customer);
    });

    await test.step('a customer tap pulses on the agent screen at the same spot', async () => {
      const cbox = await pictureBox(customer.page, 'local-video');
      const abox = await pictureBox(agent.page, 'remote-video');
      const tap = at(cbox, 0.3, 0.8);
      // A pulse lives ~2 s; on a very slow machine the screenshot can miss it, so tap again (up to 3 times).
      let seen: Record<string, boolean> = {};
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = await agent.page.evaluate(() => window.__annotationAgent!.store.get().taps);
        await customer.page.mouse.click(tap.x, tap.y);
        await agent.page.waitForFunction((n) => window.__annotationAgent!.store.get().taps > n, before);
        seen = await screenshotHas(agent.page, [
          { ...at(abox, 0.3, 0.8), colour: 'yellow', label: 'pulse' },
          { ...at(abox, 0.8, 0.2), colour: 'yellow', label: 'elsewhere' },
        ], 4);
        if (seen.pulse) break;
      }
      expect(seen).toEqual({ pulse: true, elsewhere: false });
      // And where the agent placed it, in its own picture coordinates.
      const last = await agent.page.evaluate(() => window.__annotationAgent!.store.get().lastTap);
      expect(last!.x).toBeCloseTo(0.3, 2);
      expect(last!.y).toBeCloseTo(0.8, 2);
    });

    await test.step('a malformed operation is refused and reported, never drawn', async () => {
      // Nothing refused so far in a normal session.
      expect(await agent.page.evaluate(() => window.__annotationAgent!.sync!.rejections.map((r) => `${r.direction} ${r.code}: ${r.message}`))).toEqual([]);
      await agent.page.evaluate(() => {
        const m = (window as unknown as { __agentCall: { messenger: { send(ns: string, msg: unknown): unknown } } }).__agentCall.messenger;
        m.send('annotation', { t: 'ops', ops: [{ op: 'add', shape: { kind: 'rect', id: 'evil-1', v: 1, clock: 999, by: 'evil', z: 999, x: 0.1, y: 0.1, w: 50, h: 0.2, style: { color: '#ff0000', width: 0.01 } } }] });
        m.send('annotation', { t: 'ops', ops: [{ op: 'add', shape: { kind: 'pen', id: 'evil-2', v: 1, clock: 999, by: 'evil', z: 999, points: new Array(5000).fill(0.5), style: { color: '#ff0000', width: 0.01 } } }] });
      });
      await expect(agent.page.getByTestId('annotation-status')).toContainText(/refused \(2\)/);
      expect(await customer.page.evaluate(() => window.__annotationCustomer!.sync!.rejections.map((r) => r.code))).toEqual(['oversized', 'oversized']);
      await expect(shapesOnCustomer).toHaveAttribute('data-shapes', '2');
    });

  });

  test('freeze shows the same still on both screens; a reloaded customer gets the current marks', async ({ agent, openCustomer }) => {
    test.setTimeout(240_000);
    const customer = await startCall(agent, openCustomer);
    const stage = agent.page.getByTestId('annotation-stage');
    const shapesOnCustomer = customer.page.getByTestId('customer-annotation');
    await test.step('the agent draws', () => drawArrowAndCircle(agent, customer));

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
        expect(a.painted, `${id}: still covers the picture`).toBeGreaterThan(0.2);
        expect(b.sum, `${id}: still does not change`).toBe(a.sum);
      }
      // Marks stay on the still for the customer.
      await expectMarksOnCustomer(customer);
      await agent.page.keyboard.press('f');
      await expect(stage).toHaveAttribute('data-frozen', 'no');
      await expect(shapesOnCustomer).toHaveAttribute('data-frozen', 'no');
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
    test.setTimeout(180_000);
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
