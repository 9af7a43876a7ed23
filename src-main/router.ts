/**
 * One router for both hosts (Electron IPC and the 127.0.0.1 web host). Every
 * call is checked against the contract in src-preload/api.ts on the way in
 * and on the way out, and every outcome is a Result: the renderer never sees a
 * thrown error, a stack trace or an unvalidated value.
 */
import type { z } from 'zod';
import { channels, type ChannelName, type Channels, type Output, type Result } from '../src-preload/api';
import type { Logger } from './log';
import { createLogger } from './log';

/** What a handler gets besides its argument. */
export interface CallContext {
  host: 'electron' | 'web';
  /** Free-form id of the caller for logs (web: remote address, electron: webContents id). */
  caller?: string;
}

/** The argument a handler receives: the contract's input schema, already parsed (defaults applied). */
export type HandlerInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type Handler<C extends ChannelName> = (input: HandlerInput<C>, ctx: CallContext) => Promise<Output<C>> | Output<C>;
/** Handlers for a subset of channels: what each capability's handlers.ts returns. */
export type HandlersOf<K extends ChannelName> = { [C in K]: Handler<C> };
/** Every channel of the contract must have a handler (the type checker enforces it). */
export type Handlers = HandlersOf<ChannelName>;

export interface Router {
  dispatch(channel: string, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

/** Thrown by a handler to answer with a specific typed error (not_found, conflict, ...) instead of 'internal'. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(readonly code: string, message: string) { super(message); }
}

const fail = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });

function describeIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

const isChannel = (c: string): c is ChannelName => Object.prototype.hasOwnProperty.call(channels, c);

export function createRouter(handlers: Handlers, opts: { log?: Logger } = {}): Router {
  const log = opts.log ?? createLogger({ scope: 'router' });
  return {
    async dispatch(channel, input, ctx) {
      if (typeof channel !== 'string' || !isChannel(channel)) {
        return fail('unknown_channel', `unknown channel: ${String(channel).slice(0, 80)}`);
      }
      const def = channels[channel];
      const parsedIn = def.input.safeParse(input);
      if (!parsedIn.success) {
        return fail('invalid_argument', `${channel}: ${describeIssues(parsedIn.error)}`);
      }
      const handler = handlers[channel] as ((i: unknown, c: CallContext) => unknown) | undefined;
      if (typeof handler !== 'function') {
        return fail('unavailable', `${channel} has no handler in this host`);
      }
      let value: unknown;
      try {
        value = await handler(parsedIn.data, ctx);
      } catch (err) {
        if (err instanceof ApiFailure) return fail(err.code, err.message);
        // The message may carry paths or SQL; log it, answer with a neutral one.
        log.error('handler failed', { channel, caller: ctx.caller, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), stack: err instanceof Error ? err.stack : undefined });
        return fail('internal', `${channel} failed; see the workstation log`);
      }
      const parsedOut = def.output.safeParse(value);
      if (!parsedOut.success) {
        log.error('handler returned a value outside the contract', { channel, issues: describeIssues(parsedOut.error) });
        return fail('internal', `${channel} produced an invalid result; see the workstation log`);
      }
      return { ok: true, value: parsedOut.data };
    },
  };
}
