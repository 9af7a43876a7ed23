/**
 * The audio keys of the contact centre's policy file: the same file the case
 * service reads (VISUAL_ASSIST_POLICY, else policy.json in the data dir),
 * read at each call so an edited file applies to the next microphone opened.
 */
import { join } from 'node:path';
import type { WorkstationConfig } from '../config';
import { loadPolicy, type AudioPolicy } from '../policy/policy';
import type { PolicySources } from '../policy/resolve';

export function audioPolicySource(config: WorkstationConfig, env: NodeJS.ProcessEnv = process.env, sources?: PolicySources): () => AudioPolicy {
  const path = env.VISUAL_ASSIST_POLICY || join(config.dataDir, 'policy.json');
  return () => loadPolicy(path, sources?.layers ?? [], sources?.issues ?? []).audio();
}
