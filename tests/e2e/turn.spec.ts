/**
 * The TURN path, proven in real Chromium: a real coturn on loopback, the
 * signaling server handing out TURN REST credentials, and both browsers
 * forced to iceTransportPolicy 'relay'. The call must connect, and getStats
 * on both sides must show nothing but relay local candidates.
 */
import type { Page } from '@playwright/test';
import { test, expect, openAgentPage, openCustomerPage } from './support/call-fixtures';
import { startCallEnv } from './support/call-env';
import { hasCoturn, startCoturn } from './support/coturn';

interface PathReport { local: string[]; selectedLocal: string | null; selectedRemote: string | null; relayPorts: number[]; state: string }

/** Every local candidate the peer connection gathered, and the selected pair's candidate types. */
async function pathOf(page: Page, which: '__agentCall' | '__customerCall'): Promise<PathReport> {
  return page.evaluate(async (w) => {
    const pc = (window as unknown as Record<string, { pc: RTCPeerConnection | null } | undefined>)[w]?.pc;
    if (!pc) return { local: [], selectedLocal: null, selectedRemote: null, relayPorts: [], state: 'no-pc' };
    const stats = await pc.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    stats.forEach((s) => byId.set(s.id, s as unknown as Record<string, unknown>));
    const local = [...byId.values()].filter((s) => s.type === 'local-candidate');
    let pair: Record<string, unknown> | undefined;
    for (const s of byId.values()) if (s.type === 'transport' && s.selectedCandidatePairId) pair = byId.get(String(s.selectedCandidatePairId));
    pair ??= [...byId.values()].find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
    return {
      local: local.map((s) => String(s.candidateType)),
      selectedLocal: pair ? String(byId.get(String(pair.localCandidateId))?.candidateType) : null,
      selectedRemote: pair ? String(byId.get(String(pair.remoteCandidateId))?.candidateType) : null,
      relayPorts: local.filter((s) => s.candidateType === 'relay').map((s) => Number(s.port)),
      state: pc.connectionState,
    };
  }, which);
}

test.describe('TURN relay', () => {
  test.skip(!hasCoturn(), 'coturn (turnserver) is not installed: apt-get install -y coturn');

  test('both browsers forced to relay connect through coturn; getStats shows only relay local candidates', async ({ billBrowser }) => {
    // sized for a loaded 2-core machine (browser start, page build, two relayed ICE negotiations)
    test.setTimeout(180_000);
    const t0 = Date.now();
    const mark = (what: string) => console.log(`[turn.spec] ${what} at ${Date.now() - t0} ms`);
    const turn = await startCoturn();
    // the server mints each member its own TURN REST credential from the shared secret (as in production)
    const env = await startCallEnv({ signaling: { ice: { stunUrls: [], turn: { secret: turn.secret, urls: [`turn:127.0.0.1:${turn.port}?transport=udp`], ttlSec: 600 } } } });
    try {
      mark('servers up');
      const agent = await openAgentPage(billBrowser, env, { relayOnly: true });
      const customer = await openCustomerPage(billBrowser, await agent.newInvite(), { relayOnly: true });
      mark('pages open');
      await customer.startCamera();
      await expect(agent.page.getByTestId('agent-status')).toHaveAttribute('data-phase', 'connected', { timeout: 60_000 });
      mark('agent connected');
      await agent.waitConnected(60_000);
      mark('first frame');
      await expect(customer.page.getByTestId('customer-status')).toHaveAttribute('data-phase', 'connected');

      for (const [page, which] of [[agent.page, '__agentCall'], [customer.page, '__customerCall']] as const) {
        const p = await pathOf(page, which);
        expect(p.state).toBe('connected');
        expect(p.local.length).toBeGreaterThan(0);
        expect(new Set(p.local)).toEqual(new Set(['relay']));
        expect(p.selectedLocal).toBe('relay');
        expect(p.selectedRemote).toBe('relay');
        // the relayed transport addresses are coturn's, from its private port range
        for (const port of p.relayPorts) expect(port).toBeGreaterThan(turn.port);
      }
      await expect(agent.page.getByTestId('call-figures')).toHaveAttribute('data-path', 'relay');
      // the credentials came from the server, one per member
      const users = await Promise.all([agent.page, customer.page].map((p, i) => p.evaluate((w) => {
        const pc = (window as unknown as Record<string, { pc: RTCPeerConnection | null } | undefined>)[w]?.pc;
        return (pc?.getConfiguration().iceServers ?? []).map((s) => s.username ?? '').join(',');
      }, i === 0 ? '__agentCall' : '__customerCall')));
      for (const u of users) expect(u).toMatch(/^\d+:[A-Za-z0-9_.:-]+$/);
      expect(users[0]).not.toBe(users[1]);
      await customer.close();
      await agent.context.close();
    } finally {
      await env.close();
      await turn.stop();
    }
  });
});
