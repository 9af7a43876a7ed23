export * from './usages';
export * from './descriptor';
export * from './reports';
export * from './mapper';
export * from './call-view';
