/**
 * The one part of the signaling server that others import (the pages, main,
 * the preload contract): the wire's schemas, the fast signal check, the
 * invite link's shape. Nothing here may import Node: the pages bundle it.
 */
export * from './messages';
export { fastServerSignal, fastSignal } from './fast-signal';
export * from './invite-link';
export * from './approval-grant';
export { claimAt, rolesFrom } from './identity-claims';


export * from './handoff';
export * from './still-upload';
/** zod (mini) as the protocol modules use it, for the pages' own wire schemas (stills, quality, annotation). */
export { z } from './zod';
