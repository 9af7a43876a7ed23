/**
 * protocol/ is the only part of the signaling server others import, and the
 * pages bundle it: it must not import Node, and nothing in the app (outside
 * the two composition roots that start or sign for the server) may reach
 * past it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../..');
const COMPOSITION_ROOTS = new Set(['scripts/start.ts', 'src-main/electron/main.ts']);

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

describe('the signaling protocol boundary', () => {
  it('protocol/ imports only zod (mini, and its English messages) and its own modules (the pages bundle it)', () => {
    const files = sources('signaling-server/protocol');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      for (const s of specifiers(f)) expect(s === 'zod' || s === 'zod/mini' || s === 'zod/locales' || /^\.\/[\w-]+$/.test(s), `${f} imports ${s}`).toBe(true);
    }
  });

  it('the app reaches the signaling server only through protocol/, outside the composition roots', () => {
    const offenders: string[] = [];
    for (const f of [...sources('src-main'), ...sources('src-renderer'), ...sources('src-preload')]) {
      if (COMPOSITION_ROOTS.has(f)) continue;
      for (const s of specifiers(f)) {
        if (!s.includes('signaling-server')) continue;
        if (!/signaling-server\/protocol(\/index)?$/.test(s)) offenders.push(`${f}: ${s}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
