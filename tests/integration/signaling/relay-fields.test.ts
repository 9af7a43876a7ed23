/**
 * A relayed `signal` frame carries only the fields the protocol defines:
 * whatever else a sender puts in its signal object (a customer's page is
 * not trusted) is dropped before the frame reaches the other member.
 */
import { describe, expect, it } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { pair, type Client, useServer } from './harness';

const { clients, start } = useServer();

describe('relayed signal frames', () => {
  it('strip unknown fields from offers, candidates and transceiver requests', async () => {
    const server = await start();
    const p = await pair(server);
    clients.push(p.agent, p.customer);
    const to = p.agentWelcome.memberId;
    p.customer.send({ type: 'signal', to, data: { type: 'offer', sdp: 'v=0\r\n', payload: '<script>alert(1)</script>', __meta: { admin: true } } });
    expect((await p.agent.next('signal')).data).toEqual({ type: 'offer', sdp: 'v=0\r\n' });
    p.customer.send({ type: 'signal', to, data: { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0, tracking: 'x'.repeat(500) } } });
    expect((await p.agent.next('signal')).data).toEqual({ type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
    p.customer.send({ type: 'signal', to, data: { type: 'transceiverRequest', transceiverRequest: { kind: 'video', init: { direction: 'recvonly', blob: 'y'.repeat(2000) } } } });
    expect((await p.agent.next('signal')).data).toEqual({ type: 'transceiverRequest', transceiverRequest: { kind: 'video', init: { direction: 'recvonly' } } });
    // the plain frames of a call still go through the fast path unchanged
    p.agent.send({ type: 'signal', to: p.customerWelcome.memberId, data: { type: 'answer', sdp: 'v=0\r\n' } });
    expect((await p.customer.next('signal')).data).toEqual({ type: 'answer', sdp: 'v=0\r\n' });
  });
});
