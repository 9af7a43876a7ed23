/** The socket side of the signaling server (hub.ts and the parts it hands frames to). */
export { Hub, type HubStats } from './hub';
export { Conn, SignalingSocket } from './socket';
