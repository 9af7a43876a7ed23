/** Registers the 'stills' namespace (text + binary) on a call's messenger once, fanning messages out to listeners. */
import type { BinaryFrame, Messenger } from '../call/peer/data-channel';
import { STILLS_NS, StillMsg } from './protocol';

interface Hub { msg: Set<(m: StillMsg) => void>; frame: Set<(f: BinaryFrame) => void> }
const hubs = new WeakMap<Messenger, Hub>();

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
