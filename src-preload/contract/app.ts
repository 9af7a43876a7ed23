import { z } from 'zod';
import { defineChannels } from './types';
import { IceServer } from '../../signaling-server/protocol';

export const appChannels = defineChannels({
  /** Where the renderer finds the signaling server and how it authenticates as this agent. */
  'app:getSessionConfig': {
    input: z.object({}).strict(),
    output: z.object({
      agentId: z.string(),
      displayName: z.string(),
      signalingUrl: z.string(),
      agentToken: z.string(),
      iceServers: z.array(IceServer),
      host: z.enum(['electron', 'web']),
      locale: z.string(),
    }),
  },
});
