/**
 * The renderer ↔ main contract: every channel, its argument and its result.
 * Both hosts (Electron IPC and the 127.0.0.1 web host) dispatch through one
 * router that validates against these schemas, and the preload exposes
 * exactly these channel names as `window.workstation`. Capability contracts
 * live in ./contract/*.ts and are assembled here, and only here.
 */
import type { z } from 'zod';
import { appChannels } from './contract/app';
import { approvalChannels } from './contract/approvals';
import { authChannels } from './contract/auth';
import { audioChannels } from './contract/audio';
import { caseChannels } from './contract/cases';
import { diagnosticsChannels } from './contract/diagnostics';
import { ocrChannels } from './contract/ocr';
import { settingsChannels } from './contract/settings';
import { updateChannels } from './contract/update';


import { handoffChannels } from './contract/handoff';
import type { Result } from './contract/types';

export type { Result, ApiError, ApiErrorCode, ChannelDef } from './contract/types';

export const channels = {
  ...appChannels,
  ...approvalChannels,
  ...authChannels,
  ...audioChannels,
  ...caseChannels,
  ...diagnosticsChannels,
  ...ocrChannels,
  ...settingsChannels,
  ...updateChannels,


  ...handoffChannels,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type Input<C extends ChannelName> = z.input<Channels[C]['input']>;
export type Output<C extends ChannelName> = z.output<Channels[C]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

/** What the renderer sees as `window.workstation` (Electron) or gets from the web-host client. */
export interface WorkstationApi {
  invoke<C extends ChannelName>(channel: C, input: Input<C>): Promise<Result<Output<C>>>;
}

declare global {
  interface Window {
    workstation?: WorkstationApi;
  }
}
