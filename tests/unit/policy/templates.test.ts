/**
 * The policy templates in build/policy/ are what the manifest generates (never
 * hand-edited), well-formed (fast-xml-parser, plist), consistent (every policy
 * has its strings and presentation in en-US and ja-JP), and the JSON schema
 * (ajv) accepts the example policy files in docs/ADMIN.md and rejects bad ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ID, MANIFEST } from '../../../src-main/policy/manifest';
import { generateTemplates, TEMPLATES_DIR } from '../../../src-main/policy/templates/index';

const root = join(__dirname, '..', '..', '..');
const generated = generateTemplates();
const onDisk = (rel: string) => readFileSync(join(root, TEMPLATES_DIR, rel), 'utf8');
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['policy', 'string', 'presentation', 'category', 'item'].includes(name) });

describe('policy templates', () => {
  it('the committed files are exactly what the manifest generates', () => {
    for (const [rel, text] of Object.entries(generated)) expect(onDisk(rel), `${rel} is stale: run npm run policy -- templates`).toBe(text);
  });

  it('ADMX and both ADMLs are well-formed and every reference resolves in both languages', () => {
    for (const rel of ['windows/VisualAssist.admx', 'windows/en-US/VisualAssist.adml', 'windows/ja-JP/VisualAssist.adml']) {
      expect(XMLValidator.validate(generated[rel]!), rel).toBe(true);
    }
    const admxText = generated['windows/VisualAssist.admx']!;
    // Self-contained: every namespace prefix used in a reference is our own target (Intune imports it alone).
    expect(admxText).not.toContain('<using ');
    for (const m of admxText.matchAll(/ref="([a-z]+):/g)) expect(m[1], 'reference into another ADMX').toBe('visualassist');
    const admx = parser.parse(admxText).policyDefinitions;
    const policies = admx.policies.policy as { '@name': string; '@presentation'?: string; '@key': string }[];
    // One enforced policy per manifest setting, plus a recommended twin for each user-settable one.
    expect(policies.filter((p) => !p['@name'].endsWith('_Recommended')).map((p) => p['@name']).sort()).toEqual(MANIFEST.map((s) => s.policyName).sort());
    expect(policies.filter((p) => p['@name'].endsWith('_Recommended')).length).toBe(MANIFEST.filter((s) => s.userSettable).length);
    const stringRefs = [...admxText.matchAll(/\$\(string\.([^)]+)\)/g)].map((m) => m[1]!);
    const presRefs = [...admxText.matchAll(/\$\(presentation\.([^)]+)\)/g)].map((m) => m[1]!);
    expect(stringRefs.length).toBeGreaterThan(MANIFEST.length * 2);
    for (const lang of ['en-US', 'ja-JP']) {
      const res = parser.parse(generated[`windows/${lang}/VisualAssist.adml`]!).policyDefinitionResources.resources;
      const strings = new Map((res.stringTable.string as { '@id': string; '#text': string }[]).map((s) => [s['@id'], s['#text']]));
      const pres = new Set((res.presentationTable.presentation as { '@id': string }[]).map((p) => p['@id']));
      for (const id of stringRefs) expect(strings.get(id)?.length ?? 0, `${lang} string ${id}`).toBeGreaterThan(0);
      for (const id of presRefs) expect(pres.has(id), `${lang} presentation ${id}`).toBe(true);
      // No string in the table that nothing refers to (a renamed policy leaves none behind).
      for (const id of strings.keys()) expect(stringRefs.includes(id), `${lang} unused string ${id}`).toBe(true);
    }
    // The two languages really are two languages.
    const ja = parser.parse(generated['windows/ja-JP/VisualAssist.adml']!).policyDefinitionResources.resources.stringTable.string as { '@id': string; '#text': string }[];
    expect(ja.find((s) => s['@id'] === 'UpdateMode')!['#text']).toBe('更新モード');
  });

  it('the .mobileconfig is a valid plist for the bundle id with every policy', () => {
    const profile = plist.parse(generated[`macos/${BUNDLE_ID}.mobileconfig`]!) as { PayloadType: string; PayloadContent: Record<string, unknown>[] };
    expect(profile.PayloadType).toBe('Configuration');
    const payload = profile.PayloadContent[0]!;
    expect(payload.PayloadType).toBe(BUNDLE_ID);
    for (const s of MANIFEST) expect(payload[s.policyName], s.policyName).toEqual(s.default);
    // What macOS requires of a profile and of each payload before it installs it.
    for (const p of [profile as unknown as Record<string, unknown>, payload]) {
      for (const k of ['PayloadType', 'PayloadIdentifier', 'PayloadUUID', 'PayloadVersion', 'PayloadDisplayName']) expect(p[k], k).toBeDefined();
      expect(p.PayloadVersion).toBe(1);
    }
    expect(payload.PayloadIdentifier).not.toBe((profile as unknown as Record<string, unknown>).PayloadIdentifier);
    expect(payload.PayloadUUID).not.toBe((profile as unknown as Record<string, unknown>).PayloadUUID);
    expect(payload.PayloadUUID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  });

  it('the JSON schema validates the example policies in docs/ADMIN.md and rejects bad ones', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(JSON.parse(generated['linux/policy.schema.json']!));
    const doc = readFileSync(join(root, 'docs', 'ADMIN.md'), 'utf8');
    const examples = [...doc.matchAll(/<!-- policy-example -->\s*```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const ex of examples) {
      const ok = validate(JSON.parse(ex));
      expect(ok, JSON.stringify(validate.errors)).toBe(true);
    }
    for (const bad of [{ UpdateMode: 'sometimes' }, { UpdateMod: 'none' }, { CreditAuditThreshold: -1 }, { SignalingUrl: 'ftp://x' }, { Recommended: { CreditAuditThreshold: 5 } }, { OcrLanguages: ['fra'] }]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
