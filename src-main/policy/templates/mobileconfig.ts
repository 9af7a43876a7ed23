/**
 * A macOS configuration profile (.mobileconfig) for the app's bundle id,
 * generated from the manifest: every policy with its built-in default, so an
 * admin deletes the keys they do not want to enforce and changes the rest.
 * A `Recommended` dictionary holds user-changeable defaults (empty here).
 * UUIDs are derived from the bundle id so regenerating gives the same file.
 */
import { createHash } from 'node:crypto';
import plist from 'plist';
import { BUNDLE_ID, MANIFEST, type PolicySetting } from '../manifest';

function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  // RFC 4122 layout, version 5-like nibble, variant 10xx.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

export function mobileconfig(): string {
  const values: Record<string, unknown> = {};
  for (const s of MANIFEST as readonly PolicySetting[]) values[s.policyName] = s.default;
  const payload = {
    PayloadType: BUNDLE_ID,
    PayloadIdentifier: `${BUNDLE_ID}.policy`,
    PayloadUUID: stableUuid(`${BUNDLE_ID}.policy`),
    PayloadVersion: 1,
    PayloadDisplayName: 'Visual Assist Workstation policy',
    PayloadDescription: 'Managed settings for Visual Assist Workstation. Delete the keys you do not enforce. / 管理する設定。強制しないキーは削除してください。',
    ...values,
    Recommended: {},
  };
  const profile = {
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: `${BUNDLE_ID}.profile`,
    PayloadUUID: stableUuid(`${BUNDLE_ID}.profile`),
    PayloadDisplayName: 'Visual Assist Workstation',
    PayloadDescription: 'Policies for the Visual Assist agent workstation (generated from src-main/policy/manifest.ts).',
    PayloadOrganization: 'Visual Assist',
    PayloadScope: 'System',
    PayloadContent: [payload],
  };
  return plist.build(profile as unknown as plist.PlistValue) + '\n';
}
