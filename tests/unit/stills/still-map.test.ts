import { describe, expect, it } from 'vitest';
import { StillMap, type AgentStill } from '../../../src-renderer/stills/still-map';

const still = (n: number, source: AgentStill['source'] = 'camera'): AgentStill => {
  const sha256 = n.toString(16).padStart(64, '0');
  return { id: sha256.slice(0, 16), bytes: new Uint8Array([n & 255]), sha256, mime: 'image/jpeg', width: 10, height: 10, source, at: n };
};

describe('the stills map (sha256 -> still)', () => {
  it('finds a still by its sha256 and tells listeners as each arrives', () => {
    const map = new StillMap();
    const seen: string[] = [];
    const off = map.onAdded((s) => seen.push(`${s.source}:${s.sha256.slice(-2)}`));
    map.put(still(1)); map.put(still(2, 'freeze'));
    off();
    map.put(still(3, 'file'));
    expect(seen).toEqual(['camera:01', 'freeze:02']);
    expect(map.get(still(2).sha256)?.source).toBe('freeze');
    expect(map.has(still(3).sha256)).toBe(true);
    expect(map.get('f'.repeat(64))).toBeUndefined();
  });

  it('is bounded: the oldest stills are forgotten first, a refreshed one counts as new', () => {
    const map = new StillMap();
    for (let i = 1; i <= 48; i++) map.put(still(i));
    map.put(still(1));
    map.put(still(49));
    expect(map.size).toBe(48);
    expect(map.has(still(1).sha256)).toBe(true);
    expect(map.has(still(2).sha256)).toBe(false);
  });
});
