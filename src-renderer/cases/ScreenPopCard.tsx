import { useState, type FormEvent } from 'react';
import type { ScreenPop } from '../../src-preload/contract/cases';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { t } from './messages';
import { formatMoney } from './money';
import { openCase, refresh, setError } from './store';
import { Timeline } from './Timeline';
import { CategorySelect } from './CategorySelect';
import { errorText } from './error-text';

type Known = Extract<ScreenPop, { kind: 'known' }>;

/** Who is calling: the customer, their account and plan, open cases, and the history across cases. */
export function ScreenPopCard({ pop, activeCaseId }: { pop: Known; activeCaseId: number | null }) {
  useLocale();
  const cu = pop.customer;
  const [subject, setSubject] = useState('');
  const [category, setCategory] = useState('');

  async function newCase(ev: FormEvent) {
    ev.preventDefault();
    const r = await call('cases:create', { customerId: cu.id, subject, ...(category ? { category } : {}), ...(cu.accounts[0] ? { accountId: cu.accounts[0].id } : {}) });
    if (!r.ok) { setError(errorText(r.error)); return; }
    setSubject('');
    setCategory('');
    await openCase(r.value.id);
    await refresh();
  }

  return (
    <section className="cases-pop" data-testid="screen-pop" data-customer-id={cu.id}>
      <h3 data-testid="pop-customer-name">{cu.name}</h3>
      <dl className="ws-dl">
        <div><dt>{t('phones')}</dt><dd>{cu.phones.join(', ')}</dd></div>
        {cu.accounts.map((a) => (
          <div key={a.id} data-testid="pop-account"><dt>{t('account')}</dt><dd>{a.number} · {a.plan} · {t('expectedCharge')} {formatMoney(a.expectedMonthlyMinor, a.currency)}</dd></div>
        ))}
      </dl>
      <h4>{t('openCases')}</h4>
      {pop.openCases.length === 0 ? <p className="cases-muted">{t('noOpenCases')}</p> : (
        <ul className="cases-list" data-testid="pop-open-cases">
          {pop.openCases.map((c) => (
            <li key={c.id}>
              <button type="button" aria-pressed={c.id === activeCaseId} onClick={() => void openCase(c.id)}>#{c.id} {c.subject}</button>
            </li>
          ))}
        </ul>
      )}
      <form className="cases-row" onSubmit={newCase}>
        <label>{t('subject')}<input value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={300} /></label>
        <CategorySelect value={category} onChange={setCategory} />
        <button type="submit">{t('newCase')}</button>
      </form>
      <h4>{t('timeline')}</h4>
      <Timeline events={pop.timeline} showCase />
    </section>
  );
}
