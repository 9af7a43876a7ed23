import type { AuthStatus, UserRole } from '../../src-preload/contract/auth';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { t } from './messages';

export const roleLabel = (r: UserRole): string => t(`role_${r}`);

/** Who is signed in, with which roles, and the way out. */
export function UserBar({ status }: { status: AuthStatus }) {
  useLocale();
  const user = status.user;
  if (!user) return null;
  async function signOut() {
    await call('auth:signOut', {});
    location.reload();
  }
  return (
    <div className="ws-user" data-testid="signed-in-user" data-sub={user.sub} data-roles={user.roles.join(' ')}>
      <span>{t('signedInAs', { name: user.name })}</span>
      {user.roles.map((r) => <span key={r} className="ws-role" data-testid={`role-${r}`}>{roleLabel(r)}</span>)}
      {status.mode === 'oidc' ? <button type="button" data-testid="sign-out" onClick={() => void signOut()}>{t('signOut')}</button> : null}
    </div>
  );
}
