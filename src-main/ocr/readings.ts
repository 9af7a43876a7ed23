/**
 * The bill fields of the stills read in this session, by sha256: what the
 * dispute checks compare across a call. Bounded (oldest first out), since a
 * workstation runs for days; a call's tray holds at most 50 stills.
 */
import type { BillFields } from '../bills/types';

export class Readings {
  private readonly map = new Map<string, BillFields>();
  constructor(private readonly max = 500) {}

  get(sha256: string): BillFields | undefined { return this.map.get(sha256); }

  set(sha256: string, fields: BillFields): void {
    // Re-inserting moves a still to the newest end, so a re-read still is the last to go.
    this.map.delete(sha256);
    this.map.set(sha256, fields);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number { return this.map.size; }
}
