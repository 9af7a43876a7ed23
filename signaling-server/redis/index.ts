export { RedisStore, connectRedis, type RedisStoreOptions, type ReapedSeat } from './store';
export { RedisBus, Envelope, type BusOptions } from './bus';
export { RedisCounterStore } from './counters';
