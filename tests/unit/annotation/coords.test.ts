import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contentRect, normaliseRotation, onPicture, toFrame, toScreen, type ObjectFit, type Viewport } from '../../../src-renderer/annotation/model';

const close = (a: { x: number; y: number }, b: { x: number; y: number }) => {
  expect(a.x).toBeCloseTo(b.x, 6);
  expect(a.y).toBeCloseTo(b.y, 6);
};

describe('coordinate mapping', () => {
  // Landscape camera 1280x720 shown in a portrait phone box 360x640.
  const landscapeInPortrait = (fit: ObjectFit): Viewport => ({ frameW: 1280, frameH: 720, boxW: 360, boxH: 640, fit });
  // Portrait camera 720x1280 shown in a landscape desktop box 800x450.
  const portraitInLandscape = (fit: ObjectFit): Viewport => ({ frameW: 720, frameH: 1280, boxW: 800, boxH: 450, fit });

  it('contain letterboxes a landscape frame in a portrait box', () => {
    const vp = landscapeInPortrait('contain');
    expect(contentRect(vp)).toEqual({ x: 0, y: 218.75, w: 360, h: 202.5 });
    close(toScreen({ x: 0, y: 0 }, vp), { x: 0, y: 218.75 });
    close(toScreen({ x: 0.5, y: 0.5 }, vp), { x: 180, y: 320 });
    close(toScreen({ x: 1, y: 1 }, vp), { x: 360, y: 421.25 });
    expect(onPicture({ x: 10, y: 100 }, vp)).toBe(false); // on the black bar
  });

  it('cover crops a landscape frame in a portrait box (sides cut off)', () => {
    const vp = landscapeInPortrait('cover');
    const r = contentRect(vp);
    expect(r.h).toBe(640);
    expect(r.w).toBeCloseTo(1137.78, 2);
    close(toScreen({ x: 0.5, y: 0.5 }, vp), { x: 180, y: 320 });
    close(toScreen({ x: 0.25, y: 0 }, vp), { x: 180 - 0.25 * r.w, y: 0 }); // off-screen left: cropped
    close(toFrame({ x: 0, y: 0 }, vp), { x: 0.5 - 180 / r.w, y: 0 });
  });

  it('contain pillarboxes a portrait frame in a landscape box', () => {
    const vp = portraitInLandscape('contain');
    const r = contentRect(vp);
    expect(r.h).toBe(450);
    expect(r.w).toBeCloseTo(253.125, 6);
    close(toScreen({ x: 0, y: 0 }, vp), { x: (800 - 253.125) / 2, y: 0 });
    close(toScreen({ x: 1, y: 0.5 }, vp), { x: (800 + 253.125) / 2, y: 225 });
  });

  it('cover crops a portrait frame in a landscape box (top and bottom cut off)', () => {
    const vp = portraitInLandscape('cover');
    const r = contentRect(vp);
    expect(r.w).toBe(800);
    expect(r.h).toBeCloseTo(1422.22, 2);
    close(toScreen({ x: 1, y: 0.5 }, vp), { x: 800, y: 225 });
    close(toFrame({ x: 400, y: 0 }, vp), { x: 0.5, y: 0.5 - 225 / r.h });
  });

  it('fill stretches, none keeps pixels, scale-down only shrinks', () => {
    close(toScreen({ x: 0.5, y: 0.25 }, { frameW: 640, frameH: 480, boxW: 100, boxH: 300, fit: 'fill' }), { x: 50, y: 75 });
    expect(contentRect({ frameW: 640, frameH: 480, boxW: 1000, boxH: 1000, fit: 'none' })).toEqual({ x: 180, y: 260, w: 640, h: 480 });
    expect(contentRect({ frameW: 640, frameH: 480, boxW: 1000, boxH: 1000, fit: 'scale-down' })).toEqual({ x: 180, y: 260, w: 640, h: 480 });
    expect(contentRect({ frameW: 640, frameH: 480, boxW: 320, boxH: 1000, fit: 'scale-down' })).toEqual({ x: 0, y: 380, w: 320, h: 240 });
  });

  it('follows a 90° rotation: a landscape frame shown upright in a portrait box fills it', () => {
    // Phone held upright: the sensor frame is 1280x720 but is displayed rotated 90° clockwise.
    const vp: Viewport = { frameW: 1280, frameH: 720, boxW: 360, boxH: 640, fit: 'contain', rotation: 90 };
    expect(contentRect(vp)).toEqual({ x: 0, y: 0, w: 360, h: 640 });
    close(toScreen({ x: 0, y: 0 }, vp), { x: 360, y: 0 }); // frame top-left goes to the top-right
    close(toScreen({ x: 1, y: 0 }, vp), { x: 360, y: 640 });
    close(toScreen({ x: 0, y: 1 }, vp), { x: 0, y: 0 });
  });

  it('mirrors a selfie preview', () => {
    close(toScreen({ x: 0.1, y: 0.2 }, { frameW: 100, frameH: 100, boxW: 100, boxH: 100, fit: 'fill', mirrored: true }), { x: 90, y: 20 });
  });

  it('normalises CSS rotations to quarter turns', () => {
    expect(normaliseRotation(-90)).toBe(270);
    expect(normaliseRotation(450)).toBe(90);
    expect(normaliseRotation(0)).toBe(0);
  });

  it('screen -> frame -> screen round-trips for every fit, rotation and mirror', () => {
    const vpArb = fc.record({
      frameW: fc.integer({ min: 16, max: 4096 }), frameH: fc.integer({ min: 16, max: 4096 }),
      boxW: fc.integer({ min: 16, max: 3000 }), boxH: fc.integer({ min: 16, max: 3000 }),
      fit: fc.constantFrom<ObjectFit>('contain', 'cover', 'fill', 'none', 'scale-down'),
      rotation: fc.constantFrom<0 | 90 | 180 | 270>(0, 90, 180, 270), mirrored: fc.boolean(),
    });
    fc.assert(fc.property(vpArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (vp, x, y) => {
      const back = toFrame(toScreen({ x, y }, vp), vp);
      expect(back.x).toBeCloseTo(x, 6);
      expect(back.y).toBeCloseTo(y, 6);
    }), { numRuns: 500 });
  });
});
