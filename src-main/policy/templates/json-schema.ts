/**
 * JSON schema (draft-07) of the Linux policy file (/etc/visual-assist/policy.json
 * or $VISUAL_ASSIST_POLICY_FILE), generated from the manifest's zod types:
 * policy names at the top level (enforced), a `Recommended` object for
 * defaults users may change, nothing else.
 */
import { z } from 'zod';
import { LINUX_POLICY_FILE, MANIFEST, RECOMMENDED, type PolicySetting } from '../manifest';

function property(s: PolicySetting): Record<string, unknown> {
  const base: Record<string, unknown> = s.kind === 'url'
    // zod emits format "uri"; a pattern needs no format plugin and says what we accept (http/https).
    ? (s.schema.safeParse('').success ? { type: 'string', anyOf: [{ const: '' }, { pattern: '^https?://[^\\s]+$' }] } : { type: 'string', pattern: '^https?://[^\\s]+$' })
    : (() => { const { $schema: _s, ...rest } = z.toJSONSchema(s.schema, { target: 'draft-7' }) as Record<string, unknown>; return rest; })();
  return { title: s.title.en, description: `${s.description.en} / ${s.description.ja}`, ...base, default: s.default };
}

export function jsonSchema(): string {
  const settings = MANIFEST as readonly PolicySetting[];
  const props = Object.fromEntries(settings.map((s) => [s.policyName, property(s)]));
  const recProps = Object.fromEntries(settings.filter((s) => s.userSettable).map((s) => [s.policyName, property(s)]));
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://example.com/visual-assist/policy.schema.json',
    title: 'Visual Assist Workstation policy',
    description: `The Linux policy file (${LINUX_POLICY_FILE}). Generated from src-main/policy/manifest.ts; do not edit.`,
    type: 'object',
    properties: {
      ...props,
      [RECOMMENDED]: { description: 'Defaults users may change.', type: 'object', properties: recProps, additionalProperties: false },
    },
    additionalProperties: false,
  };
  return JSON.stringify(schema, null, 2) + '\n';
}
