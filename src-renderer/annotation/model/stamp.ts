import type { Stamp } from './types';

/** Total order on stamps: clock, then author id (string order). */
export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.clock !== b.clock) return a.clock < b.clock ? -1 : 1;
  if (a.by === b.by) return 0;
  return a.by < b.by ? -1 : 1;
}

export const newer = (a: Stamp, b: Stamp | null | undefined): boolean => !b || compareStamps(a, b) > 0;
