/**
 * npm run policy -- effective [--json] [--data-dir DIR]
 *   Each managed setting's effective value and its source (machine policy,
 *   user policy, user setting, recommended, default) with the file or
 *   registry key it came from, as this machine resolves it now.
 * npm run policy -- templates [--out DIR] [--check]
 *   Writes the ADMX/ADML, .mobileconfig and JSON schema generated from the
 *   manifest (default build/policy/); with --check, writes nothing and exits 1
 *   if a file on disk differs from what the manifest generates.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultDataDir } from '../config';
import { loadEffectivePolicy } from './sources';
import type { EffectivePolicy } from './resolve';
import { generateTemplates, TEMPLATES_DIR } from './templates/index';

const USAGE = 'usage: npm run policy -- effective [--json] [--data-dir DIR] | templates [--out DIR] [--check]';

const SOURCE_TEXT: Record<string, string> = {
  machine: 'enforced by machine policy',
  userPolicy: 'enforced by user policy',
  user: 'set by the user',
  recommended: 'recommended by policy',
  default: 'built-in default',
};

export function effectiveJson(eff: EffectivePolicy): unknown {
  return {
    settings: Object.fromEntries(Object.values(eff.settings).map((s) => [s.key, { value: s.value, source: s.source, origin: s.origin, policyName: s.policyName, enforced: s.enforced }])),
    issues: eff.issues,
  };
}

export function effectiveText(eff: EffectivePolicy): string {
  const lines = Object.values(eff.settings).map((s) => `${s.key} (${s.policyName}) = ${JSON.stringify(s.value)}  (${SOURCE_TEXT[s.source]}${s.origin ? `: ${s.origin}` : ''})`);
  for (const i of eff.issues) lines.push(`! ${i.origin}${i.name ? ` ${i.name}` : ''}: ${i.message}`);
  return lines.join('\n') + '\n';
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const [cmd, ...rest] = argv;
  if (cmd === 'effective') {
    const dataDir = flag(rest, '--data-dir') ?? defaultDataDir(env);
    const eff = loadEffectivePolicy({ env, dataDir });
    process.stdout.write(rest.includes('--json') ? JSON.stringify(effectiveJson(eff), null, 2) + '\n' : effectiveText(eff));
    return 0;
  }
  if (cmd === 'templates') {
    const out = resolve(flag(rest, '--out') ?? TEMPLATES_DIR);
    const check = rest.includes('--check');
    let stale = 0;
    for (const [rel, text] of Object.entries(generateTemplates())) {
      const file = join(out, rel);
      if (check) {
        let disk = '';
        try { disk = readFileSync(file, 'utf8'); } catch { /* missing counts as stale */ }
        if (disk !== text) { stale++; process.stderr.write(`stale: ${file}\n`); }
      } else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
        process.stderr.write(`wrote ${file}\n`);
      }
    }
    if (stale) process.stderr.write('policy templates differ from the manifest: run `npm run policy -- templates`\n');
    return stale ? 1 : 0;
  }
  process.stderr.write(USAGE + '\n');
  return 2;
}

if (process.argv[1] && /policy[\\/]cli\.[cm]?[jt]s$/.test(process.argv[1])) process.exitCode = main(process.argv.slice(2));
