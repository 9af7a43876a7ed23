/** The credentials the server hands out are accepted by a real coturn (--use-auth-secret), and only while valid. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iceServersFor, turnCredential } from '../../../signaling-server/turn';
import { startCoturn, type Turn } from './servers';
import { turnAllocate } from './turn-client';

let turn: Turn;
beforeAll(async () => { turn = await startCoturn(); });
afterAll(async () => { await turn?.stop(); });

describe('TURN REST credentials against coturn', () => {
  it('a fresh credential allocates a relay', async () => {
    const [, t] = iceServersFor('cust-1', { stunUrls: [`stun:127.0.0.1:${turn.port}`], turn: { secret: turn.secret, urls: turn.urls, ttlSec: 300 } });
    const r = await turnAllocate('127.0.0.1', turn.port, t!.username!, t!.credential!);
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.relayedPort).toBeGreaterThan(1024);
  });

  it('an expired credential, a wrong secret or a tampered username is refused with 401', async () => {
    const expired = turnCredential(turn.secret, 'cust-2', 60, Date.now() - 3600_000);
    expect(await turnAllocate('127.0.0.1', turn.port, expired.username, expired.credential)).toMatchObject({ ok: false, status: 401 });
    const wrong = turnCredential('not-the-shared-secret', 'cust-3', 300);
    expect(await turnAllocate('127.0.0.1', turn.port, wrong.username, wrong.credential)).toMatchObject({ ok: false, status: 401 });
    const good = turnCredential(turn.secret, 'cust-4', 300);
    const later = `${Number(good.username.split(':')[0]) + 86_400}:cust-4`; // stretch the expiry without the secret
    expect(await turnAllocate('127.0.0.1', turn.port, later, good.credential)).toMatchObject({ ok: false, status: 401 });
  });
});
