import { z } from 'zod';
import { defineChannels } from './types';

/** Remembered audio devices; matched by deviceId first, then by label (ids change across sessions). */
const Remembered = z.object({ id: z.string().max(256), label: z.string().max(256) }).strict();
export type RememberedDevice = z.infer<typeof Remembered>;

/** The agent's own choice of audio processing; a key managed by policy overrides it. */
export const AudioProcessing = z.object({
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  autoGainControl: z.boolean(),
});
export type AudioProcessing = z.infer<typeof AudioProcessing>;
export type ProcessingKey = keyof AudioProcessing;

export const AudioPrefs = z.object({
  inputId: z.string().max(256).nullable(),
  inputLabel: z.string().max(256).nullable(),
  outputId: z.string().max(256).nullable(),
  outputLabel: z.string().max(256).nullable(),
  /** The ringer: where an offered contact rings, apart from the call's speaker/headset. */
  ringerId: z.string().max(256).nullable().optional(),
  ringerLabel: z.string().max(256).nullable().optional(),
  /** Devices chosen before, most recent first: the next preferred when the chosen one is unplugged. */
  recentInputs: z.array(Remembered).max(8).optional(),
  recentOutputs: z.array(Remembered).max(8).optional(),
  processing: AudioProcessing.partial().strict().optional(),
});
export type AudioPrefs = z.infer<typeof AudioPrefs>;

export const audioChannels = defineChannels({
  'audio:getPrefs': { input: z.object({}).strict(), output: AudioPrefs },
  'audio:setPrefs': { input: AudioPrefs.partial().strict(), output: AudioPrefs },
  /** The processing in force (policy, else the agent's choice, else on) and which keys policy manages. */
  'audio:getProcessing': {
    input: z.object({}).strict(),
    output: z.object({ effective: AudioProcessing, managed: z.array(z.enum(['echoCancellation', 'noiseSuppression', 'autoGainControl'])) }),
  },
});
