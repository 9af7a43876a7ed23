export { Config, SigningKey, ProxyEntry } from './schema';
export { loadConfig, parseFlags, redact, SETTINGS, type ConfigResult, type LoadInput } from './load';
export { createListener, readTls, type TlsMaterial } from './tls';
export { clientInfo, normaliseAddress, TrustedProxies, type ClientInfo } from './proxy';
