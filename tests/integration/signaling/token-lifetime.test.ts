/**
 * Agent tokens whose lifetime (exp - iat) is longer than the configured
 * maximum are refused even when correctly signed: a leaked long-lived token
 * must not be a permanent key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mintAgentToken } from '../../../signaling-server/auth';
import type { SignalingServer } from '../../../signaling-server/server';
import { Client, SECRET, startServer } from './harness';

let server: SignalingServer | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function authWith(s: SignalingServer, token: string) {
  const c = await Client.open(s);
  clients.push(c);
  c.send({ type: 'auth', v: 1, token });
  return Promise.race([c.next('welcome'), c.next('error')]);
}

describe('agent token lifetime', () => {
  it('refuses a correctly signed token that lives longer than maxAgentTokenTtlSec', async () => {
    ({ server } = await startServer({ limits: { maxAgentTokenTtlSec: 3600 } }));
    expect(await authWith(server, mintAgentToken(SECRET, 'agent-1', { ttlSec: 3600 }))).toMatchObject({ type: 'welcome' });
    expect(await authWith(server, mintAgentToken(SECRET, 'agent-2', { ttlSec: 7200 }))).toMatchObject({ type: 'error', code: 'unauthorized', message: expect.stringMatching(/lifetime/) });
  });

  it('refuses a 40-day token on a default server, even one minted long ago that expires soon', async () => {
    ({ server } = await startServer());
    expect(await authWith(server, mintAgentToken(SECRET, 'agent-1', { ttlSec: 40 * 86_400 }))).toMatchObject({ type: 'error', code: 'unauthorized' });
    const longAgo = Date.now() - 40 * 86_400_000 + 3_600_000;
    expect(await authWith(server, mintAgentToken(SECRET, 'agent-3', { ttlSec: 40 * 86_400, now: longAgo }))).toMatchObject({ type: 'error', code: 'unauthorized' });
  });
});
