/**
 * Reading who someone is from an IdP token's claims, the same way on the
 * signaling server (verifying bearer tokens) and in main (the signed-in
 * user): a claim at a dotted path, and the roles this product knows in it.
 */
import { z } from './zod';

export const Role = z.enum(['agent', 'supervisor', 'technician']);
export type Role = z.infer<typeof Role>;

/** Read `a.b.c` from a claims object (IdPs nest roles, e.g. `realm_access.roles`). */
export function claimAt(claims: unknown, path: string): unknown {
  let v: unknown = claims;
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Roles we know, from an array or a space-separated string; unknown names are ignored (an IdP has many roles). */
export function rolesFrom(value: unknown): Role[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  const out: Role[] = [];
  for (const r of list) {
    const p = Role.safeParse(r);
    if (p.success && !out.includes(p.data)) out.push(p.data);
  }
  return out;
}
