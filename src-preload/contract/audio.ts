import { z } from 'zod';
import { defineChannels } from './types';

/** Remembered audio devices; matched by deviceId first, then by label (ids change across sessions). */
export const AudioPrefs = z.object({
  inputId: z.string().max(256).nullable(),
  inputLabel: z.string().max(256).nullable(),
  outputId: z.string().max(256).nullable(),
  outputLabel: z.string().max(256).nullable(),
});
export type AudioPrefs = z.infer<typeof AudioPrefs>;

export const audioChannels = defineChannels({
  'audio:getPrefs': { input: z.object({}).strict(), output: AudioPrefs },
  'audio:setPrefs': { input: AudioPrefs.partial().strict(), output: AudioPrefs },
});
