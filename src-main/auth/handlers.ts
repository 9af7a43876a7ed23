import type { HandlersOf } from '../router';
import { ApiFailure } from '../router';
import { AuthError, type AuthService } from './service';

/**
 * How a host runs the sign-in flow: the web host answers a redirect URL for
 * the page; Electron opens the system browser with a loopback redirect and
 * resolves when signed in (loopback.ts).
 */
export interface SignInDriver {
  web?: { redirectUri: () => string };
  electron?: (auth: AuthService) => Promise<void>;
}

const typed = async <T>(fn: () => Promise<T>): Promise<T> => {
  try { return await fn(); } catch (err) {
    if (err instanceof AuthError) throw new ApiFailure(err.code, err.message);
    throw err;
  }
};

export function createAuthHandlers(s: { auth: AuthService; signIn: SignInDriver }): HandlersOf<'auth:status' | 'auth:signIn' | 'auth:signOut'> {
  return {
    'auth:status': () => s.auth.status(),
    'auth:signIn': (_input, ctx) => typed(async () => {
      if (s.auth.mode === 'service') return { state: 'signed_in' as const, status: s.auth.status() };
      if (ctx.host === 'web') {
        if (!s.signIn.web) throw new ApiFailure('unavailable', 'the web host has no sign-in callback');
        return { state: 'redirect' as const, url: await s.auth.beginSignIn(s.signIn.web.redirectUri()) };
      }
      if (!s.signIn.electron) throw new ApiFailure('unavailable', 'this host cannot open a browser for sign-in');
      await s.signIn.electron(s.auth);
      return { state: 'signed_in' as const, status: s.auth.status() };
    }),
    'auth:signOut': () => typed(() => s.auth.signOut()),
  };
}
