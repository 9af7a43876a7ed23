/**
 * The signaling node's configuration: the options startSignalingServer takes
 * and their resolved form (options.ts), and the production config file with
 * its env/flag overrides (schema.ts, load.ts), TLS listener and trusted proxies.
 */
export { Config, SigningKey, ProxyEntry } from './schema';
export { loadConfig, parseFlags, redact, SETTINGS, type ConfigResult, type LoadInput } from './load';
export { createListener, readTls, type TlsMaterial } from './tls';
export { clientInfo, normaliseAddress, TrustedProxies, type ClientInfo } from './proxy';
export { DEFAULT_HEARTBEAT_MS, DEFAULT_HOST, DEFAULT_INVITE_TTL_SEC, DEFAULT_PORT, defaultStaticDir, resolveConfig, stdoutLog, type LogFn, type ResolvedConfig, type SignalingOptions } from './options';
