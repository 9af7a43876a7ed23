/**
 * Diagnostics/tests: `localStorage['va.iceTransportPolicy'] = 'relay'` forces
 * relay-only ICE in this browser (proves the TURN path). It can only make
 * this browser's calls slower, never less private.
 */
export function readPolicyOverride(): RTCIceTransportPolicy {
  try { return localStorage.getItem('va.iceTransportPolicy') === 'relay' ? 'relay' : 'all'; } catch { return 'all'; }
}
