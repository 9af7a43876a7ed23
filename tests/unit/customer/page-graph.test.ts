/**
 * The customer's page carries only what it needs: no UI framework, in its start-up chunks
 * or in its lazily loaded overlays. Bundles src-renderer/customer/main.ts the way the page
 * is built (esbuild, code splitting, vite.config.ts's `debug` alias) and asserts on the
 * metafile's inputs: a package listed in FORBIDDEN entering the page's module graph fails
 * here, naming the chain of imports that brought it in. Also prints the page's bytes.
 */
import { build, type Metafile } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = 'src-renderer/customer/main.ts';

const POLYFILL = "a Node stream polyfill simple-peer brought (the customer answers with call/peer/native-peer.ts)";

/** Packages the customer's page must never load, and why. Extend this list as the page sheds more. */
const FORBIDDEN: Record<string, string> = {
  react: 'a UI framework for a one-button page (the page is plain DOM: src-renderer/customer/view/)',
  'react-dom': 'a UI framework for a one-button page',
  scheduler: "react-dom's scheduler",
  'react-konva': 'React bindings for Konva (the customer annotator drives Konva directly)',
  'react-reconciler': "react-konva's reconciler",
  'its-fine': "react-konva's fiber helpers",
  '@thaunknown/simple-peer': 'the offering side\'s peer library (the customer answers with call/peer/native-peer.ts)',
  streamx: POLYFILL, events: POLYFILL, 'events-universal': POLYFILL, 'text-decoder': POLYFILL, 'fast-fifo': POLYFILL,
  'uint8-util': POLYFILL, 'err-code': POLYFILL, 'webrtc-polyfill': POLYFILL, b4a: POLYFILL, 'queue-tick': POLYFILL,
};

/** Files of our own or of allowed packages that must stay out too: classic zod (the wire is on zod/mini) and the simple-peer wrapper. */
const FORBIDDEN_FILES: Array<[RegExp, string]> = [
  [/node_modules\/zod\/(v4\/classic|index\.js|v3)/, 'classic zod (the wire schemas are zod/mini, cheap to build)'],
  [/src-renderer\/call\/peer\/peer\.ts$/, 'the simple-peer wrapper (the customer answers with native-peer.ts)'],
];

/** Loaded only once the call is connected (everything else counts as start-up). */
const LAZY = ['src-renderer/customer/view/overlays.ts'];

/** A source file that would only be there for a framework (JSX). */
const FORBIDDEN_SOURCE = /\.tsx$/;

function packageOf(input: string): string | null {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? m[1]! : null;
}

/** The chain of imports from the entry to `target` (breadth-first over the metafile's inputs). */
function chainTo(meta: Metafile, target: string): string[] {
  const prev = new Map<string, string | null>([[ENTRY, null]]);
  const queue = [ENTRY];
  while (queue.length) {
    const at = queue.shift()!;
    if (at === target) break;
    for (const imp of meta.inputs[at]?.imports ?? []) {
      if (imp.external || prev.has(imp.path)) continue;
      prev.set(imp.path, at);
      queue.push(imp.path);
    }
  }
  const chain: string[] = [];
  for (let at: string | null | undefined = target; at; at = prev.get(at)) chain.unshift(at);
  return chain;
}

async function bundlePage(): Promise<Metafile> {
  const r = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: 'dist/page-graph',
    write: false,
    minify: true,
    metafile: true,
    logLevel: 'silent',
    // The page's CSS is inlined into its HTML (vite.config.ts); bytes here are its JavaScript.
    loader: { '.css': 'empty' },
    // A .tsx that slipped in would import react/jsx-runtime, and so be caught below.
    jsx: 'automatic',
    // as vite.config.ts: simple-peer's logger replaced by a no-op
    alias: { debug: resolve(ROOT, 'src-renderer/call/peer/quiet-debug.ts') },
  });
  return r.metafile;
}

describe("the customer's page module graph", () => {
  let meta: Metafile;

  it('bundles', async () => {
    meta = await bundlePage();
    expect(meta.inputs[ENTRY]).toBeDefined();
  });

  it('holds no UI framework, no simple-peer or its polyfills, no classic zod (start-up or lazy chunks)', () => {
    const found: string[] = [];
    for (const input of Object.keys(meta.inputs)) {
      const pkg = packageOf(input);
      if ((pkg && pkg in FORBIDDEN) || (!pkg && FORBIDDEN_SOURCE.test(input))) {
        found.push(`${pkg ?? input} (${pkg ? FORBIDDEN[pkg] : 'JSX component'}): ${chainTo(meta, input).join(' -> ')}`);
      }
      const file = FORBIDDEN_FILES.find(([re]) => re.test(input));
      if (file) found.push(`${input} (${file[1]}): ${chainTo(meta, input).join(' -> ')}`);
    }
    expect(found, 'forbidden modules in the customer page').toEqual([]);
  });

  it('answers with the native peer', () => {
    expect(Object.keys(meta.inputs).some((i) => i.endsWith('src-renderer/call/peer/native-peer.ts'))).toBe(true);
  });

  it('reports its bytes: start-up chunks and lazily loaded ones', () => {
    const outputs = meta.outputs;
    const entryOut = Object.keys(outputs).find((o) => outputs[o]!.entryPoint === ENTRY)!;
    // Start-up: the entry, the page's code it imports after the first paint (boot.ts, preloaded by the HTML)
    // and their chunks; lazy: what only the overlays reach (loaded once the call is connected).
    const startup = new Set<string>();
    const walk = (o: string) => {
      if (startup.has(o) || LAZY.includes(outputs[o]!.entryPoint ?? '')) return;
      startup.add(o);
      for (const imp of outputs[o]!.imports) walk(imp.path);
    };
    walk(entryOut);
    const js = Object.keys(outputs).filter((o) => o.endsWith('.js'));
    const kb = (files: string[]) => Math.round(files.reduce((a, o) => a + outputs[o]!.bytes, 0) / 102.4) / 10;
    const startKB = kb(js.filter((o) => startup.has(o)));
    const lazyKB = kb(js.filter((o) => !startup.has(o)));
    const pkgs = new Map<string, number>();
    for (const [input, v] of Object.entries(meta.inputs)) { const p = packageOf(input) ?? '(our code)'; pkgs.set(p, (pkgs.get(p) ?? 0) + v.bytes); }
    const top = [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([p, b]) => `${p} ${Math.round(b / 1024)} kB`).join(', ');
    console.log(`customer page (esbuild, minified): start-up ${startKB} kB, lazy ${lazyKB} kB; largest inputs (unminified): ${top}`);
    expect(startKB).toBeGreaterThan(0);
    expect(lazyKB).toBeGreaterThan(0); // the overlays (Konva) stay out of the start-up chunks
  });
});
