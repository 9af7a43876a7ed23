/**
 * A consult's hold on the customer's page: the server's hand-off notices say when it starts and
 * ends; on hold the agents' voices are not played (they may be talking to each other) and our
 * video may pause, as the notice says.
 */
import type { ServerMessage } from '../../signaling-server/protocol';
import type { Store } from '../call/store';
import type { CustomerCallState } from './customer-call';
import { fromServerNotice } from './handoff-notice';

export class CustomerHold {
  private pausedVideo = false;

  constructor(private readonly d: { store: Store<CustomerCallState>; localStream(): MediaStream | null }) {}

  /** A notice from the server, shown in the customer's language (handoff-notice.ts). */
  onNotice(m: Extract<ServerMessage, { type: 'notice' }>): void {
    const { notice, pausesVideo } = fromServerNotice(m);
    this.d.store.set({ notice });
    // only a hold or its end changes the video; the other notices leave it as it is
    if (m.notice === 'hold' || m.notice === 'resumed') this.pausedVideo = pausesVideo;
    for (const t of this.d.localStream()?.getVideoTracks() ?? []) t.enabled = !this.pausedVideo;
    this.applyAudio();
  }

  /** The agents' voices (the main one's and any beside it) play unless on hold: again whenever they change. */
  applyAudio(): void {
    const s = this.d.store.get();
    const on = s.notice?.kind === 'hold';
    for (const stream of [s.remoteStream, ...s.extraStreams]) for (const t of stream?.getAudioTracks() ?? []) t.enabled = !on;
  }
}
