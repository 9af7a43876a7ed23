import { useState, type FormEvent } from 'react';
import type { SearchHit } from '../../src-preload/contract/cases';
import { call } from '../bridge/workstation';
import { useLocale } from '../i18n/react';
import { t } from './messages';
import { openCase, setError } from './store';
import { errorText } from './error-text';

/** Full-text search over notes, bills (OCR) and subjects; a hit opens its case. */
export function SearchBox() {
  useLocale();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [asked, setAsked] = useState('');

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const q = query.trim();
    if (!q) { setHits(null); return; }
    const r = await call('cases:search', { query: q.slice(0, 200), limit: 20 });
    if (!r.ok) { setError(errorText(r.error)); return; }
    setAsked(q);
    setHits(r.value);
  }

  return (
    <div className="cases-search">
      <form role="search" onSubmit={submit}>
        <label className="sr-only" htmlFor="cases-search">{t('searchLabel')}</label>
        <input id="cases-search" data-testid="case-search" type="search" value={query} maxLength={200} placeholder={t('searchPlaceholder')} onChange={(e) => setQuery(e.target.value)} />
      </form>
      {hits ? (
        hits.length === 0 ? <p className="cases-muted" data-testid="case-search-empty">{t('searchNoHits', { query: asked })}</p> : (
          <ul className="cases-hits" data-testid="case-search-hits" aria-label={t('searchHits', { count: hits.length })}>
            {hits.map((h) => (
              <li key={h.seq}>
                <button type="button" onClick={() => { setHits(null); void openCase(h.caseId); }}>
                  <strong>{h.customerName}</strong> · {t('caseLabel', { id: h.caseId })} · {h.subject}
                  <span className="cases-snippet">{h.snippet}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
