import { useLocale } from '../i18n/react';
import { useCall } from './call-context';
import { t } from './messages';

/** The customer's context packet, as the agent needs it. */
export function ContextPanel() {
  useLocale();
  const { state } = useCall();
  const c = state.customer?.context;
  if (!c) return null;
  const rows: Array<[string, string, string]> = [
    [t('ctxDevice'), t(`deviceClass_${c.deviceClass}`), 'device'],
    [t('ctxBrowser'), c.browser, 'browser'],
    [t('ctxOs'), c.os, 'os'],
    [t('ctxScreen'), `${c.screen.width}×${c.screen.height} @${c.screen.dpr}x`, 'screen'],
    [t('ctxLocale'), c.locale, 'locale'],
    [t('ctxTimeZone'), c.timeZone, 'timezone'],
  ];
  if (c.page) rows.push([t('ctxPage'), c.page, 'page']);
  if (c.ref) rows.push([t('ctxRef'), c.ref, 'ref']);
  if (c.ani) rows.push([t('ctxPhone'), c.ani, 'ani']);
  return (
    <section className="ws-card" data-testid="customer-context">
      <h2>{t('customer')}</h2>
      <dl className="ws-dl">
        {rows.map(([k, v, id]) => <div key={id} data-field={id}><dt>{k}</dt><dd>{v}</dd></div>)}
      </dl>
    </section>
  );
}
