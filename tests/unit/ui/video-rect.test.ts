import { describe, expect, it } from 'vitest';
import { containRect } from '../../../src-renderer/ui/video-rect';

describe('overlay geometry', () => {
  it('finds the picture inside a letterboxed video box', () => {
    expect(containRect({ width: 1000, height: 1000 }, { width: 1280, height: 720 })).toEqual({ x: 0, y: 218.75, width: 1000, height: 562.5 });
    expect(containRect({ width: 400, height: 100 }, { width: 200, height: 100 })).toEqual({ x: 100, y: 0, width: 200, height: 100 });
    expect(containRect({ width: 400, height: 100 }, { width: 0, height: 0 })).toEqual({ x: 0, y: 0, width: 400, height: 100 });
  });
});
