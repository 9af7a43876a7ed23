/**
 * Staged rollout, computed exactly as electron-updater does (AppUpdater.isStagingMatch
 * in electron-updater 6): the installation's id is a UUID kept in
 * `<userData>/.updaterId`; its bytes 12..15 read as a big-endian uint32 and
 * divided by 0xffffffff give a fraction in [0, 1]; the installation takes an
 * update when that fraction is below the feed's `stagingPercentage` / 100.
 * `stagingPercentage` is read with parseInt, so 12.5 acts as 12 and 0.5 as 0
 * (nobody): the config lint refuses fractions for that reason.
 *
 * bucket() is the same fraction as a whole percentile 0..99, for people:
 * an installation in bucket b takes every rollout with stagingPercentage > b.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UUID } from 'builder-util-runtime';

export const INSTALL_ID_FILE = '.updaterId';

export function rolloutFraction(installId: string): number {
  return UUID.parse(installId).readUInt32BE(12) / 0xffffffff;
}

export function rolloutBucket(installId: string): number {
  return Math.min(99, Math.floor(rolloutFraction(installId) * 100));
}

/** Does this installation take an update published with this stagingPercentage (as in latest.yml)? */
export function inRollout(installId: string, stagingPercentage: unknown): boolean {
  if (stagingPercentage === null || stagingPercentage === undefined) return true;
  const pct = Number.parseInt(String(stagingPercentage), 10);
  if (Number.isNaN(pct)) return true; // electron-updater warns and lets everyone in
  return rolloutFraction(installId) < pct / 100;
}

/**
 * The installation id: read from, or created once in, the very file
 * electron-updater reads, so our bucket and its decision cannot disagree.
 * Generated the way electron-updater generates it (UUID v5 of random bytes).
 */
export function readOrCreateInstallId(userDataDir: string): string {
  const file = join(userDataDir, INSTALL_ID_FILE);
  try {
    const id = readFileSync(file, 'utf8');
    if (UUID.check(id)) return id;
  } catch { /* missing: create below */ }
  const id = UUID.v5(randomBytes(4096), UUID.OID);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, id);
  return id;
}
