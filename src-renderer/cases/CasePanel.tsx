import { useEffect, useState } from 'react';
import { useLocale } from '../i18n/react';
import { CaseDetail } from './CaseDetail';
import { t } from './messages';
import { NewCustomerForm } from './NewCustomerForm';
import { ScreenPopCard } from './ScreenPopCard';
import { SearchBox } from './SearchBox';
import { WriteFailures } from './WriteFailures';
import { recordSessions, type CallStateSource } from './session-recorder';
import { clearPop, popByAni, setError, useCases, watchActiveCase } from './store';
import './cases.css';

export interface ScreenPopSource extends Partial<CallStateSource> {
  onScreenPop(fn: (ani: string, source: 'telephony' | 'context', callId?: string) => void): () => void;
}

/**
 * The case side panel. Give it the call (anything with onScreenPop, and its
 * state store) and it pops the caller and records the session by itself;
 * without one, drive it with popByAni().
 */
export function CasePanel({ calls }: { calls?: ScreenPopSource }) {
  useLocale();
  const s = useCases();
  useEffect(() => (calls ? calls.onScreenPop((ani, source, callId) => void popByAni(ani, source, callId)) : undefined), [calls]);
  // With the call's state, the session itself (start, device context, end) lands in the active case.
  useEffect(() => (calls?.store ? recordSessions({ store: calls.store }) : undefined), [calls]);
  // While a transfer or consult is in flight the case cannot be wrapped up (disposition) or handed over another way.
  const [handoffPending, setHandoffPending] = useState(false);
  useEffect(() => {
    const st = calls?.store;
    if (!st) return undefined;
    const read = () => setHandoffPending(!!(st.get() as { handoffPending?: boolean }).handoffPending);
    read();
    return st.subscribe(read);
  }, [calls]);
  useEffect(() => watchActiveCase(), []);

  const pop = s.pop;
  const sourceLine = pop ? (pop.source === 'telephony' ? t('popTelephony', { ani: pop.ani }) : pop.source === 'context' ? t('popContext', { ani: pop.ani }) : t('popSearch')) : null;

  return (
    <section className="ws-card cases-panel" data-testid="case-panel" aria-busy={!!s.pending}>
      <div className="cases-head">
        <h2>{t('panelTitle')}</h2>
        {pop || s.view ? <button type="button" className="cases-close" onClick={clearPop}>{t('close')}</button> : null}
      </div>
      <WriteFailures />
      <SearchBox />
      {s.error ? <p className="ws-warn" role="alert" data-testid="case-error" onClick={() => setError(null)}>{s.error}</p> : null}
      {s.pending ? <p className="cases-muted" data-testid="pop-pending">{t('popping', { ani: s.pending.ani })}</p> : null}
      {pop && sourceLine ? <p className="cases-source" data-testid="pop-source" data-source={pop.source}>{sourceLine}</p> : null}
      {pop?.kind === 'known' ? <ScreenPopCard pop={pop} activeCaseId={s.activeCaseId} /> : null}
      {pop?.kind === 'unknown' ? <NewCustomerForm key={pop.ani} ani={pop.ani} e164={pop.e164} source={pop.source} /> : null}
      {s.view ? <CaseDetail key={s.view.case.id} view={s.view} locked={handoffPending} /> : null}
    </section>
  );
}

