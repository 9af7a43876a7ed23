/** Every generated policy template, by its path under build/policy/. */
import { BUNDLE_ID } from '../manifest';
import { ADMX_NAME, admx, adml } from './admx';
import { jsonSchema } from './json-schema';
import { mobileconfig } from './mobileconfig';

export const TEMPLATES_DIR = 'build/policy';

export function generateTemplates(): Record<string, string> {
  return {
    [`windows/${ADMX_NAME}.admx`]: admx(),
    [`windows/en-US/${ADMX_NAME}.adml`]: adml('en'),
    [`windows/ja-JP/${ADMX_NAME}.adml`]: adml('ja'),
    [`macos/${BUNDLE_ID}.mobileconfig`]: mobileconfig(),
    'linux/policy.schema.json': jsonSchema(),
  };
}
