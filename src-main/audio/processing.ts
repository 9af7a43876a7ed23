/**
 * The audio processing the agent's microphone gets: echo cancellation, noise
 * suppression and auto gain are on unless the agent turned one off, and a
 * key the policy file sets (audio.echoCancellation, ...) wins over both and
 * is reported as managed so the UI locks it.
 */
import type { AudioProcessing, ProcessingKey } from '../../src-preload/contract/audio';
import type { AudioPolicy } from '../policy/policy';

export const PROCESSING_KEYS: readonly ProcessingKey[] = ['echoCancellation', 'noiseSuppression', 'autoGainControl'];

export function effectiveProcessing(policy: AudioPolicy, agent: Partial<AudioProcessing>): { effective: AudioProcessing; managed: ProcessingKey[] } {
  const effective = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  const managed: ProcessingKey[] = [];
  for (const k of PROCESSING_KEYS) {
    const p = policy[k];
    if (typeof p === 'boolean') { effective[k] = p; managed.push(k); }
    else if (typeof agent[k] === 'boolean') effective[k] = agent[k]!;
  }
  return { effective, managed };
}
