/**
 * The customer's page answers with the native peer (call/peer/native-peer.ts)
 * and parses the wire with zod mini: its whole module graph (static and lazy
 * chunks, from src-renderer/customer/main.tsx) must hold neither simple-peer
 * nor the Node stream polyfills it brings, nor classic zod. (The agent's and
 * technician's pages keep simple-peer: they offer.)
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../../..');

/** Packages simple-peer pulled into the customer's base chunk before (from the built chunks' source maps). */
export const SIMPLE_PEER_AND_POLYFILLS = ['@thaunknown/simple-peer', 'streamx', 'events', 'events-universal', 'text-decoder', 'fast-fifo', 'uint8-util', 'err-code', 'webrtc-polyfill', 'b4a', 'queue-tick'];

async function customerInputs(): Promise<string[]> {
  const r = await build({
    absWorkingDir: root,
    entryPoints: ['src-renderer/customer/main.tsx'],
    bundle: true, write: false, metafile: true, splitting: true, format: 'esm', outdir: 'dist/graph-check', jsx: 'automatic', logLevel: 'error',
    loader: { '.css': 'empty', '.svg': 'dataurl', '.png': 'dataurl' },
  });
  return Object.keys(r.metafile.inputs);
}

describe("the customer page's module graph", () => {
  it('has no simple-peer, no Node stream polyfills and no classic zod, but does have the native peer', async () => {
    const inputs = await customerInputs();
    const pkgs = new Set(inputs.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1]).filter((p): p is string => !!p));
    expect(SIMPLE_PEER_AND_POLYFILLS.filter((p) => pkgs.has(p))).toEqual([]);
    expect(inputs.filter((i) => /node_modules\/zod\/(v4\/classic|index\.js|v3)/.test(i))).toEqual([]);
    expect(inputs.some((i) => i.endsWith('src-renderer/call/peer/native-peer.ts'))).toBe(true);
    expect(inputs.some((i) => i.endsWith('src-renderer/call/peer/peer.ts'))).toBe(false);
  });
});
