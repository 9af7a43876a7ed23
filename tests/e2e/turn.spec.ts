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
    const turn = await startCoturn();
    const env = await startCallEnv({ signaling: { iceServers: turn.iceServers('e2e-relay', 600) } });
    try {
      const agent = await openAgentPage(billBrowser, env, { relayOnly: true });
      const customer = await openCustomerPage(billBrowser, await agent.newInvite(), { relayOnly: true });
      await customer.startCamera();
      await agent.waitConnected(30_000);
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
      await customer.close();
      await agent.context.close();
    } finally {
      await env.close();
      await turn.stop();
    }
  });
});
