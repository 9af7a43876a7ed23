/**
 * Registers the 'stills' namespace (text + binary) on a call's messenger once, fanning messages
 * out to listeners, and gives each messenger one sender: the customer's photo/capture flow and
 * its annotation freeze share it, so every still leaves the page the same way.
 */
import type { BinaryFrame, Messenger } from '../call/peer/data-channel';
import { STILLS_NS, StillMsg } from './protocol';
import { StillSender } from './sender';

interface Hub { msg: Set<(m: StillMsg) => void>; frame: Set<(f: BinaryFrame) => void> }
const hubs = new WeakMap<Messenger, Hub>();
const senders = new WeakMap<Messenger, StillSender>();

export function stillsHub(m: Messenger): Hub {
  let h = hubs.get(m);
  if (!h) {
    const hub: Hub = { msg: new Set(), frame: new Set() };
    m.register(STILLS_NS, StillMsg, (msg) => { for (const fn of hub.msg) fn(msg); });
    m.registerBinary(STILLS_NS, (f) => { for (const fn of hub.frame) fn(f); });
    hubs.set(m, hub);
    h = hub;
  }
  return h;
}

/** The messenger's one still sender, fed the agent's acknowledgements for its transfers. */
export function stillSender(m: Messenger): StillSender {
  let s = senders.get(m);
  if (!s) {
    const sender = new StillSender(m);
    stillsHub(m).msg.add((msg) => sender.onMessage(msg));
    senders.set(m, sender);
    s = sender;
  }
  return s;
}
