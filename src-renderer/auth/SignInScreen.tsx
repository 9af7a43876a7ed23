import { useState } from 'react';
import type { AuthStatus } from '../../src-preload/contract/auth';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { t } from './messages';

/** Shown until someone signs in: one button to the identity provider, and why the last try failed. */
export function SignInScreen({ status }: { status: AuthStatus }) {
  useLocale();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(status.lastError?.message ?? null);

  async function signIn() {
    setBusy(true);
    setError(null);
    const r = await call('auth:signIn', {});
    if (!r.ok) { setBusy(false); setError(r.error.message); return; }
    if (r.value.state === 'redirect') { location.assign(r.value.url); return; }
    location.reload();
  }

  return (
    <main className="ws-signin" data-testid="sign-in">
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {status.issuer ? <p className="cases-muted">{t('provider', { issuer: status.issuer })}</p> : null}
      <button type="button" data-testid="sign-in-button" onClick={() => void signIn()} disabled={busy}>{busy ? t('signingIn') : t('signIn')}</button>
      {error ? <p className="ws-warn" role="alert" data-testid="sign-in-error">{t('failed', { message: error })}</p> : null}
      <LanguageSwitch label={t('language')} />
    </main>
  );
}
