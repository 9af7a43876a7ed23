/**
 * Who is signed in on this workstation, for the UI to offer what the user's
 * roles allow (main refuses the rest whatever the UI offers).
 */
import { createContext, useContext } from 'react';
import type { SignedInUser } from '../../src-preload/contract/auth';

export const ViewerContext = createContext<SignedInUser | null>(null);

export function useViewer(): SignedInUser | null { return useContext(ViewerContext); }
