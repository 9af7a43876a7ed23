/**
 * `npm run policy -- effective --json` as an admin runs it: a real child
 * process, the policy file named by VISUAL_ASSIST_POLICY_FILE.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/policy/cli';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
const run = (args: string[], env: Record<string, string> = {}, viaNpm = false) =>
  execFileSync(viaNpm ? 'npm' : join(root, 'node_modules', '.bin', 'tsx'), [...(viaNpm ? ['run', '-s', 'policy', '--'] : ['src-main/policy/cli.ts']), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, VISUAL_ASSIST_DATA: join(dir, 'data'), ...env } });

describe('npm run policy -- effective', () => {
  it('with VISUAL_ASSIST_POLICY_FILE setting UpdateMode none, says so and names the file', () => {
    const file = join(dir, 'kiosk.json');
    writeFileSync(file, JSON.stringify({ UpdateMode: 'none', CreditAuditThreshold: 100 }));
    const out = JSON.parse(run(['effective', '--json'], { VISUAL_ASSIST_POLICY_FILE: file }, true)) as { settings: Record<string, { value: unknown; source: string; origin: string | null }> };
    expect(out.settings['update.mode']).toMatchObject({ value: 'none', source: 'machine', origin: file });
    expect(out.settings['credits.auditThreshold']).toMatchObject({ value: 100, source: 'machine', origin: file });
    expect(out.settings['telemetry.enabled']).toMatchObject({ value: false, source: 'default', origin: null });
    // Every manifest setting is listed.
    expect(Object.keys(out.settings).length).toBeGreaterThanOrEqual(25);
    const text = run(['effective'], { VISUAL_ASSIST_POLICY_FILE: file });
    expect(text).toContain(`update.mode (UpdateMode) = "none"  (enforced by machine policy: ${file})`);
  });

  it('without a policy file every setting is its default, and the user\'s own setting shows as such', () => {
    const data = join(dir, 'data2');
    execFileSync('mkdir', ['-p', data]);
    writeFileSync(join(data, 'settings.json'), JSON.stringify({ 'update.mode': 'manual' }));
    const out = JSON.parse(run(['effective', '--json'], { VISUAL_ASSIST_DATA: data })) as { settings: Record<string, { value: unknown; source: string }> };
    expect(out.settings['update.mode']).toMatchObject({ value: 'manual', source: 'user' });
    expect(out.settings['signaling.url']).toMatchObject({ source: 'default' });
  });

  it('templates --check passes on the committed templates and fails on a stale copy', () => {
    // In-process (main() is the CLI's entry); the spawn above already proves the npm script wiring.
    expect(main(['templates', '--check'])).toBe(0);
    const stale = join(dir, 'stale');
    expect(main(['templates', '--out', stale])).toBe(0);
    writeFileSync(join(stale, 'linux', 'policy.schema.json'), '{}');
    expect(main(['templates', '--check', '--out', stale])).toBe(1);
  });
});
