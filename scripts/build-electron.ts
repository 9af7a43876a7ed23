/**
 * Bundles the Electron main process and the preload with esbuild into
 * dist-electron/ as CommonJS (.cjs, because package.json is "type": "module"
 * and a sandboxed preload must be CommonJS). Native and heavy modules stay
 * external and are loaded from node_modules (unpacked from the asar).
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');

export async function buildElectron(opts: { outDir?: string; minify?: boolean } = {}): Promise<{ main: string; preload: string }> {
  const outDir = opts.outDir ?? resolve(root, 'dist-electron');
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    // Electron 45 ships Node 22 and Chromium 14x.
    target: 'node22',
    sourcemap: true,
    minify: opts.minify ?? false,
    external: ['electron', 'better-sqlite3', 'tesseract.js'],
    logLevel: 'warning' as const,
    legalComments: 'none' as const,
  };
  const main = resolve(outDir, 'main.cjs');
  const preload = resolve(outDir, 'preload.cjs');
  await build({ ...common, entryPoints: [resolve(root, 'src-main/electron/main.ts')], outfile: main });
  await build({ ...common, entryPoints: [resolve(root, 'src-preload/preload.ts')], outfile: preload });
  return { main, preload };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = await buildElectron();
  console.log(`built ${out.main}\nbuilt ${out.preload}`);
}
