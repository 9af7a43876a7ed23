/**
 * What a technician guest may write into the agent's annotation document.
 * The agent's workstation is the hub of a three-way session: the guest's
 * operations reach the customer only through it, so this is where a guest is
 * kept to its own marks — shapes it created (ids prefixed with its author id,
 * stamped by it), in the guest colour, never a clear of the whole board and
 * never another author's shape. Pure: no DOM, no channel.
 */
import type { Operation, Rejection } from '../model/types';

/** The technician's colour, the same on all three screens (the agent's palette never offers it). */
export const TECHNICIAN_COLOR = '#ff9f0a';

/** Technician author ids: newAuthorId('t'). */
const GUEST_AUTHOR = /^t[a-z0-9]{4,40}$/;

export class GuestGate {
  /** The guest's author id, pinned by its first operation (a reload is a new link and a new gate). */
  author: string | null = null;

  /**
   * `authors`: what the guest's author ids look like (technicians by default; the second
   * agent's desk uses agent ids, see colleague-gate.ts).
   */
  constructor(private readonly hostAuthor: string, readonly color: string = TECHNICIAN_COLOR, private readonly authors: RegExp = GUEST_AUTHOR) {}

  /** null when the guest may apply `op`; otherwise why not. */
  check(op: Operation): Rejection | null {
    if (op.op === 'clear') return refuse('a guest cannot clear the board; it removes its own marks one by one');
    const by = op.op === 'remove' ? op.by : op.shape.by;
    const id = op.op === 'remove' ? op.id : op.shape.id;
    if (!this.authors.test(by) || by === this.hostAuthor) return refuse(`author ${by.slice(0, 40)} is not a guest author`);
    if (this.author !== null && by !== this.author) return refuse('a guest writes only as itself');
    if (!id.startsWith(`${by}-`)) return refuse('a guest changes only the marks it made');
    if (op.op !== 'remove' && op.shape.style.color.toLowerCase() !== this.color) return refuse(`a guest draws in its own colour (${this.color})`);
    this.author ??= by;
    return null;
  }
}

function refuse(message: string): Rejection {
  return { code: 'unsupported', message };
}
