/** npm run bench [-- NAME ...]: runs every benchmark, or the named ones, each in its own process. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './lib';

const ALL = ['call', 'cases', 'annotation', 'ocr', 'signaling', 'handoff', 'reporting'];
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = asked.length ? asked : ALL;
let failed = 0;
for (const name of names) {
  if (!ALL.includes(name)) { console.error(`unknown benchmark "${name}" (known: ${ALL.join(', ')})`); failed++; continue; }
  const file = join(BENCH_DIR, `${name}.ts`);
  if (!existsSync(file)) { console.error(`bench ${name}: not written yet (${file})`); failed++; continue; }
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...process.argv.slice(2).filter((a) => a.startsWith('-'))], { stdio: 'inherit' });
  if (r.status !== 0) { console.error(`bench ${name} failed (exit ${r.status})`); failed++; }
}
process.exit(failed ? 1 : 0);
