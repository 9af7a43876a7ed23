/**
 * Who is on the other end of an agent socket or a workstation's HTTP call:
 * the subject, a display name and the roles that decide what they may do.
 * Every source of identity (the IdP's signed tokens, the service tokens
 * scripts and tests mint) is turned into this one shape, and role checks
 * read only this.
 */
import { Role } from '../protocol/identity-claims';

export { Role };

export interface Identity {
  /** stable subject id (also the agentId of the agent's seat) */
  readonly sub: string;
  readonly name?: string;
  readonly roles: readonly Role[];
  /** where it came from: the IdP's issuer URL, or 'service' for a hand-minted token */
  readonly source: string;
  /** seconds since the epoch when the credential expires */
  readonly exp: number;
}

export const hasRole = (who: Identity | undefined, role: Role): boolean => !!who && who.roles.includes(role);
