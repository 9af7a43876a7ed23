export * from './types';
export * from './limits';
export * from './stamp';
export * from './ids';
export * from './schema';
export * from './doc';
export * from './history';
export * from './coords';
