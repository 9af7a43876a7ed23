/**
 * The directory: who may take hand-offs, with their skills and queues. A
 * JSON file (or the same list in the options) keyed by the id people sign
 * in with; roles come from the identity (token or IdP), never from here.
 *
 *   { "people": [ { "id": "bob", "name": "Bob", "skills": ["billing"], "queues": ["billing"] } ] }
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const DirectoryEntry = z.object({
  id: z.string().min(1).max(128),
  name: z.string().max(120).optional(),
  skills: z.array(z.string().max(64)).max(32).default([]),
  queues: z.array(z.string().max(64)).max(32).default([]),
}).strict();
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

export const DirectoryFile = z.object({ people: z.array(DirectoryEntry).max(100_000) }).strict();

export type Directory = ReadonlyMap<string, DirectoryEntry>;

/** A list, or the path of a directory file; throws a message naming the first problem. */
export function loadDirectory(src: DirectoryEntry[] | string | undefined): Directory {
  if (src === undefined) return new Map();
  let people: unknown = src;
  if (typeof src === 'string') {
    let json: unknown;
    try { json = JSON.parse(readFileSync(src, 'utf8')); } catch (err) { throw new Error(`signaling: directory file ${src}: ${(err as Error).message}`); }
    people = (json as { people?: unknown })?.people;
  }
  const r = z.array(DirectoryEntry).safeParse(people);
  if (!r.success) throw new Error(`signaling: directory: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
  return new Map(r.data.map((e) => [e.id, e]));
}

/** Every queue named in the directory, sorted. */
export function queuesOf(dir: Directory): string[] {
  const out = new Set<string>();
  for (const e of dir.values()) for (const q of e.queues) out.add(q);
  return [...out].sort();
}
