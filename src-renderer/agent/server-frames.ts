/**
 * The call's fan-out of server frames it does not own: hand-off and guest frames by type,
 * approval frames, and screen pops. Listeners stay subscribed across signaling reconnects,
 * since they hang on the call, not on a socket; one that throws does not stop the others.
 */
import type { ServerMessage } from '../../signaling-server/protocol';
import type { SignalingClient } from '../call/signaling-client';

/** Frames for other capabilities (approvals), handed on as they come. */
export type ExtraFrame = Extract<ServerMessage, { type: 'approval_requested' | 'approval_closed' | 'approval_decided' }>;

export type ScreenPopFn = (ani: string, source: 'telephony' | 'context', callId?: string) => void;

export class ServerFrames {
  private popFns = new Set<ScreenPopFn>();
  private frameFns = new Set<(m: ExtraFrame) => void>();
  /** Listeners of server frames the call itself does not own (hand-offs: directory, offers, updates, errors, room changes). */
  private serverFns = new Map<string, Set<(m: ServerMessage) => void>>();

  /** `onPop`: the screen pop handler given with the call's options, called before the subscribed ones. */
  constructor(private readonly onPop?: ScreenPopFn) {}

  /** A new signaling socket: the frames the call only hands on go straight to their listeners. */
  relay(sig: SignalingClient): void {
    sig.on('directory', (m) => this.emit(m));
    sig.on('handoff_offer', (m) => this.emit(m));
    sig.on('handoff_update', (m) => this.emit(m));
    sig.on('still_uploaded', (m) => this.emit(m));
    sig.on('screen_pop', (m) => this.screenPop(m.ani, m.source, m.callId));
    sig.on('approval_requested', (m) => this.extraFrame(m));
    sig.on('approval_closed', (m) => this.extraFrame(m));
    sig.on('approval_decided', (m) => this.extraFrame(m));
  }

  /** Approval frames from the signaling socket (survives reconnects). Returns unsubscribe. */
  onExtraFrame(fn: (m: ExtraFrame) => void): () => void {
    this.frameFns.add(fn);
    return () => { this.frameFns.delete(fn); };
  }

  private extraFrame(m: ExtraFrame) {
    for (const fn of this.frameFns) { try { fn(m); } catch (err) { console.error(`${m.type} handler failed`, err); } }
  }

  /** Screen pops (telephony ANI, or the ANI in the customer's context packet). Returns unsubscribe. */
  onScreenPop(fn: ScreenPopFn): () => void {
    this.popFns.add(fn);
    return () => { this.popFns.delete(fn); };
  }

  screenPop(ani: string, source: 'telephony' | 'context', callId?: string) {
    this.onPop?.(ani, source, callId);
    for (const fn of this.popFns) { try { fn(ani, source, callId); } catch (err) { console.error('screen pop handler failed', err); } }
  }

  /** Frames of `type` from the server, for as long as the call lives (across signaling reconnects). Returns unsubscribe. */
  onServer<T extends ServerMessage['type']>(type: T, fn: (m: Extract<ServerMessage, { type: T }>) => void): () => void {
    let set = this.serverFns.get(type);
    if (!set) this.serverFns.set(type, (set = new Set()));
    const f = fn as (m: ServerMessage) => void;
    set.add(f);
    return () => { set!.delete(f); };
  }

  emit(m: ServerMessage): void {
    for (const fn of this.serverFns.get(m.type) ?? []) { try { fn(m); } catch (err) { console.error('server frame listener failed', err); } }
  }
}
