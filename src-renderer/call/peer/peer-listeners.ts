/**
 * The listener list both Peer implementations keep (peer.ts over simple-peer, native-peer.ts):
 * `on` returns its own removal, and a listener that throws is logged without stopping the others.
 */
import type { PeerEvents } from './peer-types';

type AnyFn = (...a: any[]) => void;

export interface PeerListeners {
  on<E extends keyof PeerEvents>(event: E, fn: PeerEvents[E]): () => void;
  emit<E extends keyof PeerEvents>(event: E, ...args: Parameters<PeerEvents[E]>): void;
}

export function createPeerListeners(): PeerListeners {
  const listeners = new Map<keyof PeerEvents, Set<AnyFn>>();
  return {
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn as AnyFn);
      return () => { set.delete(fn as AnyFn); };
    },
    emit(event, ...args) {
      for (const fn of listeners.get(event) ?? []) {
        try { (fn as (...a: unknown[]) => void)(...args); } catch (err) { console.error(`peer ${event} listener failed`, err); }
      }
    },
  };
}
