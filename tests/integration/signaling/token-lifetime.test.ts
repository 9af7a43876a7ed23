/**
 * Agent tokens whose lifetime (exp - iat) is longer than the configured
 * maximum are refused even when correctly signed: a leaked long-lived token
 * must not be a permanent key.
 */
import { describe, expect, it } from 'vitest';
import { mintAgentToken } from '../../../signaling-server/auth';
import type { SignalingServer } from '../../../signaling-server/server';
import { Client, SECRET, useServer } from './harness';

const { clients, start } = useServer();

async function authWith(s: SignalingServer, token: string) {
  const c = await Client.open(s);
  clients.push(c);
  c.send({ type: 'auth', v: 1, token });
  return Promise.race([c.next('welcome'), c.next('error')]);
}

describe('agent token lifetime', () => {
  it('refuses a correctly signed token that lives longer than maxAgentTokenTtlSec', async () => {
    const server = await start({ limits: { maxAgentTokenTtlSec: 3600 } });
    expect(await authWith(server, mintAgentToken(SECRET, 'agent-1', { ttlSec: 3600 }))).toMatchObject({ type: 'welcome' });
    expect(await authWith(server, mintAgentToken(SECRET, 'agent-2', { ttlSec: 7200 }))).toMatchObject({ type: 'error', code: 'unauthorized', message: expect.stringMatching(/lifetime/) });
  });

  it('refuses a 40-day token on a default server, even one minted long ago that expires soon', async () => {
    const server = await start();
    expect(await authWith(server, mintAgentToken(SECRET, 'agent-1', { ttlSec: 40 * 86_400 }))).toMatchObject({ type: 'error', code: 'unauthorized' });
    const longAgo = Date.now() - 40 * 86_400_000 + 3_600_000;
    expect(await authWith(server, mintAgentToken(SECRET, 'agent-3', { ttlSec: 40 * 86_400, now: longAgo }))).toMatchObject({ type: 'error', code: 'unauthorized' });
  });
});
