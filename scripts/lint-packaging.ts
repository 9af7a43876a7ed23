/**
 * npm run lint:packaging [-- release/latest.yml …]
 * Lints electron-builder.yml, and any published update feed files given.
 * Exit status 1 on any finding. `npm run dist` runs it first.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lintBuilderConfig, lintUpdateInfo } from './lib/packaging-lint';

const root = resolve(import.meta.dirname, '..');
const issues = [
  ...lintBuilderConfig(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8'), root),
  ...process.argv.slice(2).flatMap((f) => lintUpdateInfo(readFileSync(f, 'utf8'), f)),
];
for (const i of issues) process.stderr.write(`${i.path}: ${i.message}\n`);
process.stderr.write(issues.length ? `${issues.length} packaging problem(s)\n` : 'packaging config ok\n');
process.exitCode = issues.length ? 1 : 0;
