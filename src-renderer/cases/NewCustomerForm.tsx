import { useState, type FormEvent } from 'react';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { t } from './messages';
import { parseMoney } from './money';
import { popByAni, setError, type PopSource } from './store';
import { errorText } from './error-text';
import { CategorySelect } from './CategorySelect';

const CURRENCIES = ['USD', 'JPY', 'EUR', 'GBP'];

/** An unknown number: add the caller, prefilled with the number, and open their first case. */
export function NewCustomerForm({ ani, e164, source }: { ani: string; e164: string | null; source: PopSource }) {
  useLocale();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState(e164 ?? ani);
  const [accountNumber, setAccountNumber] = useState('');
  const [plan, setPlan] = useState('');
  const [charge, setCharge] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [subject, setSubject] = useState('');
  const [category, setCategory] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setBusy(true);
    try {
      const monthly = charge ? parseMoney(charge, currency) : 0;
      if (monthly === null) { setError(t('error', { message: t('monthlyCharge') })); return; }
      const c = await call('customers:create', {
        name, phones: [phone],
        ...(accountNumber ? { account: { number: accountNumber, plan: plan || '-', expectedMonthlyMinor: monthly, currency } } : {}),
      });
      if (!c.ok) { setError(errorText(c.error)); return; }
      const k = await call('cases:create', { customerId: c.value.id, subject: subject || t('newCase'), ...(category ? { category } : {}), ...(c.value.accounts[0] ? { accountId: c.value.accounts[0].id } : {}) });
      if (!k.ok) { setError(errorText(k.error)); return; }
      await popByAni(c.value.phones[0] ?? phone, source);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="cases-form" data-testid="new-customer-form" onSubmit={submit}>
      <h3>{t('unknownTitle')}</h3>
      <p className="cases-muted">{e164 ? t('unknownHint') : t('unparseable', { ani })}</p>
      <label>{t('phone')}<input name="phone" value={phone} onChange={(e) => setPhone(e.target.value)} required maxLength={32} /></label>
      <label>{t('name')}<input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus /></label>
      <label>{t('accountNumber')}<input name="account" value={accountNumber} onChange={(e) => setAccountNumber(e.target.value)} maxLength={64} /></label>
      <label>{t('planName')}<input name="plan" value={plan} onChange={(e) => setPlan(e.target.value)} maxLength={120} /></label>
      <div className="cases-row">
        <label>{t('monthlyCharge')}<input name="charge" inputMode="decimal" value={charge} onChange={(e) => setCharge(e.target.value)} /></label>
        <label>{t('currency')}<select name="currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>{CURRENCIES.map((c) => <option key={c}>{c}</option>)}</select></label>
      </div>
      <label>{t('firstCaseSubject')}<input name="subject" value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={300} /></label>
      <CategorySelect value={category} onChange={setCategory} />
      <button className="primary" type="submit" disabled={busy}>{t('saveCustomer')}</button>
    </form>
  );
}
