// The maintained ESM fork ships no types; this is the slice of its API the peer wrapper uses.
declare module '@thaunknown/simple-peer' {
  export interface SimplePeerOptions {
    initiator?: boolean;
    config?: RTCConfiguration;
    streams?: MediaStream[];
    stream?: MediaStream;
    trickle?: boolean;
    objectMode?: boolean;
    channelName?: string;
    channelConfig?: RTCDataChannelInit;
    offerOptions?: RTCOfferOptions;
    answerOptions?: RTCAnswerOptions;
    iceCompleteTimeout?: number;
    /** Applied to every local offer and answer before setLocalDescription. */
    sdpTransform?: (sdp: string) => string;
  }
  export default class SimplePeer {
    constructor(opts?: SimplePeerOptions);
    _pc: RTCPeerConnection | null;
    _channel: RTCDataChannel | null;
    initiator: boolean;
    destroyed: boolean;
    connected: boolean;
    signal(data: unknown): void;
    send(chunk: string | ArrayBufferView | ArrayBuffer | Blob): void;
    negotiate(): void;
    addTrack(track: MediaStreamTrack, stream: MediaStream): void;
    replaceTrack(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack | null, stream: MediaStream): void;
    destroy(err?: Error): void;
    on(event: string, fn: (...args: any[]) => void): this;
    once(event: string, fn: (...args: any[]) => void): this;
    off(event: string, fn: (...args: any[]) => void): this;
    removeAllListeners(event?: string): this;
  }
}
