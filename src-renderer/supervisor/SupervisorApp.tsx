/**
 * The reporting page the signaling node serves at /supervisor: sign-in, then
 * for supervisors the live team board, the audit queue and the KPI
 * dashboards; for agents their own numbers for today and the week. The
 * server decides what each role may see; this page only shows its answers.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { useLocale } from '../i18n/react';
import { ApiError, api, download, getToken, setToken, type AuditItem, type BoardEntry, type ContactRow, type KpiReport, type KpiRow, type Who } from './api';
import { Chart } from './Chart';
import { t } from './messages';
import { beginSignIn, completeSignIn, signInConfig, type SignInConfig } from './sign-in';

type Tab = 'board' | 'audit' | 'dashboards' | 'mine';
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pct = (v: number | null) => (v === null ? t('none') : `${(v * 100).toFixed(1)}%`);
const secs = (v: number | null) => (v === null ? t('none') : t('seconds', { n: Math.round(v) }));
const dur = (ms: number) => { const s = Math.max(0, Math.floor(ms / 1000)); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
const errText = (e: unknown) => (e instanceof ApiError && e.status === 403 ? t('forbidden') : t('loadFailed', { error: (e as Error).message }));

export function SupervisorApp() {
  useLocale();
  const [who, setWho] = useState<Who | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('board');
  const [idp, setIdp] = useState<SignInConfig | null | undefined>(undefined);

  const signIn = useCallback(async (token: string) => {
    setToken(token);
    try {
      const w = await api<Who>('whoami');
      setWho(w);
      setError(null);
      setTab(w.roles.includes('supervisor') ? 'board' : 'mine');
    } catch {
      setToken(null);
      setWho(null);
      setError(t('signInFailed'));
    }
  }, []);

  useEffect(() => {
    void (async () => {
      const cfg = await signInConfig().catch(() => null);
      setIdp(cfg);
      // back from the provider's sign-in form: the code becomes this tab's access token
      if (cfg) {
        try {
          const token = await completeSignIn(cfg);
          if (token) { await signIn(token); return; }
        } catch {
          setError(t('signInFailed'));
          return;
        }
      }
      // a token handed over in the fragment (never sent to the server in the URL) is taken once and removed
      const m = /[#&]token=([^&]+)/.exec(location.hash);
      if (m) { history.replaceState(null, '', location.pathname); void signIn(decodeURIComponent(m[1]!)); return; }
      const saved = getToken();
      if (saved) void signIn(saved);
    })();
  }, [signIn]);

  if (!who) return idp === undefined ? null : <SignIn onSignIn={signIn} error={error} idp={idp} />;
  return (
    <div className="sv-app">
      <header className="sv-head">
        <h1>{t('title')}</h1>
        <nav className="sv-tabs" role="tablist">
          {(['board', 'audit', 'dashboards', 'mine'] as Tab[]).map((k) => (
            <button key={k} role="tab" aria-selected={tab === k} data-testid={`tab-${k}`} onClick={() => setTab(k)}>
              {t(k === 'board' ? 'tabBoard' : k === 'audit' ? 'tabAudit' : k === 'dashboards' ? 'tabDashboards' : 'tabMine')}
            </button>
          ))}
        </nav>
        <span className="sv-who">{t('signedInAs', { name: who.name ?? who.sub })}</span>
        <LanguageSwitch label="Language / 言語" />
        <button onClick={() => { setToken(null); setWho(null); }}>{t('signOut')}</button>
      </header>
      <main>
        {tab === 'board' ? <Board /> : tab === 'audit' ? <Audit /> : tab === 'dashboards' ? <Dashboards /> : <Mine who={who} />}
      </main>
    </div>
  );
}

function SignIn({ onSignIn, error, idp }: { onSignIn: (t: string) => void; error: string | null; idp: SignInConfig | null }) {
  const [token, setTok] = useState('');
  const tokenForm = (
    <form onSubmit={(e) => { e.preventDefault(); if (token.trim()) onSignIn(token.trim()); }}>
      <p>{t('signInBody')}</p>
      <label>{t('token')} <input value={token} onChange={(e) => setTok(e.target.value)} autoComplete="off" data-testid="token" /></label>
      <button type="submit">{t('signIn')}</button>
    </form>
  );
  return (
    <div className="sv-signin" data-testid="sv-signin">
      <h1>{t('signInTitle')}</h1>
      {idp ? (
        <>
          <p>{t('signInIdpBody')}</p>
          <button data-testid="sv-sign-in-idp" onClick={() => { void beginSignIn(idp); }}>{t('signInIdp')}</button>
          <details><summary>{t('useToken')}</summary>{tokenForm}</details>
        </>
      ) : tokenForm}
      {error ? <p role="alert" className="sv-error">{error}</p> : null}
      <LanguageSwitch label="Language / 言語" />
    </div>
  );
}

function usePoll<T>(load: () => Promise<T>, everyMs: number, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => load().then((d) => { if (live) { setData(d); setError(null); } }, (e) => { if (live) setError(errText(e)); })
      .finally(() => { if (live && everyMs > 0) timer = setTimeout(run, everyMs); });
    void run();
    return () => { live = false; clearTimeout(timer); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1) };
}

function Board() {
  const { data, error } = usePoll(() => api<{ now: number; agents: BoardEntry[] }>('board'), 2000, []);
  const [now, setNow] = useState(Date.now());
  useEffect(() => { const i = setInterval(() => setNow(Date.now()), 1000); return () => clearInterval(i); }, []);
  if (error) return <p role="alert" className="sv-error" data-testid="sv-error">{error}</p>;
  if (!data) return null;
  if (!data.agents.length) return <p>{t('boardEmpty')}</p>;
  const skew = data.now - Date.now();
  return (
    <table className="sv-table" data-testid="board">
      <thead><tr><th>{t('agent')}</th><th>{t('status')}</th><th>{t('inStatus')}</th><th>{t('call')}</th></tr></thead>
      <tbody>
        {data.agents.map((a) => (
          <tr key={a.agentId} data-agent={a.agentId} data-status={a.status}>
            <td>{a.name ?? a.agentId}</td>
            <td><span className={`sv-status sv-${a.status}`}>{t(`status_${a.status}`)}</span></td>
            <td>{dur(now + skew - a.since)}</td>
            <td>{a.roomId ? `${a.roomId}${a.guests.length ? ` · ${a.guests.join(', ')}` : ''}` : t('none')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Audit() {
  const { data, error, reload } = usePoll(() => api<{ items: AuditItem[] }>('audit'), 10_000, []);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [done, setDone] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  if (error) return <p role="alert" className="sv-error" data-testid="sv-error">{error}</p>;
  if (!data) return null;
  const items = data.items.filter((i) => !done[`${i.contactId}/${i.creditSeq}`]);
  const review = async (i: AuditItem, verdict: 'fine' | 'questioned') => {
    const k = `${i.contactId}/${i.creditSeq}`;
    setBusy(k);
    try {
      await api('audit/review', { method: 'POST', body: { contactId: i.contactId, creditSeq: i.creditSeq, verdict, ...(notes[k] ? { note: notes[k] } : {}) } });
      setDone((d) => ({ ...d, [k]: verdict }));
    } catch (e) {
      alert(errText(e));
      reload();
    } finally { setBusy(null); }
  };
  return (
    <div>
      {Object.entries(done).map(([k, v]) => <p key={k} className="sv-done" data-testid="reviewed">{k} — {t('reviewed', { verdict: t(`verdict_${v as 'fine' | 'questioned'}`) })}</p>)}
      {items.length === 0 ? <p>{t('auditEmpty')}</p> : (
        <table className="sv-table" data-testid="audit">
          <thead><tr><th>{t('case')}</th><th>{t('agent')}</th><th>{t('amount')}</th><th>{t('reason')}</th><th>{t('when')}</th><th>{t('note')}</th><th /></tr></thead>
          <tbody>
            {items.map((i) => {
              const k = `${i.contactId}/${i.creditSeq}`;
              return (
                <tr key={k} data-contact={i.contactId}>
                  <td>{i.contactId}</td><td>{i.agentId}</td>
                  <td>{new Intl.NumberFormat(undefined, { style: 'currency', currency: i.currency }).format(i.amountMinor / 10 ** (new Intl.NumberFormat('en', { style: 'currency', currency: i.currency }).resolvedOptions().maximumFractionDigits ?? 2))}</td>
                  <td>{i.reason}</td><td>{new Date(i.at).toLocaleString()}</td>
                  <td><input aria-label={t('note')} value={notes[k] ?? ''} onChange={(e) => setNotes((n) => ({ ...n, [k]: e.target.value }))} maxLength={1000} /></td>
                  <td className="sv-actions">
                    <button disabled={busy === k} onClick={() => void review(i, 'fine')}>{t('fine')}</button>
                    <button disabled={busy === k} onClick={() => void review(i, 'questioned')}>{t('question')}</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

interface Filter { from: string; to: string; groupBy: 'day' | 'queue' | 'agent' | 'category'; agentId: string; queue: string; category: string }
const qs = (f: object) => new URLSearchParams((Object.entries(f) as Array<[string, unknown]>).filter(([, v]) => typeof v === 'string' && v) as Array<[string, string]>).toString();

function Dashboards() {
  const [draft, setDraft] = useState<Filter>({ from: isoDay(Date.now() - 29 * DAY), to: isoDay(Date.now()), groupBy: 'day', agentId: '', queue: '', category: '' });
  const [filter, setFilter] = useState(draft);
  const [drill, setDrill] = useState<Partial<Filter> | null>(null);
  const { data, error } = usePoll(() => api<KpiReport>(`kpis?${qs(filter)}`), 0, [filter]);
  const cases = usePoll(() => (drill ? api<{ contacts: ContactRow[] }>(`contacts?${qs({ ...filter, groupBy: '', ...drill })}&limit=200`) : Promise.resolve(null)), 0, [drill, filter]);
  if (error) return <p role="alert" className="sv-error" data-testid="sv-error">{error}</p>;
  const set = (k: keyof Filter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  return (
    <div>
      <form className="sv-filters" onSubmit={(e) => { e.preventDefault(); setFilter(draft); setDrill(null); }}>
        <label>{t('from')} <input type="date" value={draft.from} onChange={set('from')} /></label>
        <label>{t('to')} <input type="date" value={draft.to} onChange={set('to')} /></label>
        <label>{t('groupBy')} <select value={draft.groupBy} onChange={set('groupBy')}>{(['day', 'queue', 'agent', 'category'] as const).map((g) => <option key={g} value={g}>{t(`by_${g}`)}</option>)}</select></label>
        <label>{t('agent')} <input value={draft.agentId} onChange={set('agentId')} size={10} /></label>
        <label>{t('queue')} <input value={draft.queue} onChange={set('queue')} size={10} /></label>
        <label>{t('category')} <input value={draft.category} onChange={set('category')} size={10} /></label>
        <button type="submit">{t('apply')}</button>
        <button type="button" onClick={() => void download(`export.csv?${qs(filter)}`, 'kpis.csv')}>{t('exportCsv')}</button>
        <button type="button" onClick={() => void download(`export.csv?${qs({ ...filter, groupBy: '', kind: 'contacts' })}`, 'cases.csv')}>{t('exportCases')}</button>
      </form>
      {data ? <Tiles r={data} /> : null}
      {data ? <Charts r={data} groupBy={filter.groupBy} /> : null}
      {data ? (
        <table className="sv-table" data-testid="kpi-table">
          <thead><tr><th>{t(`by_${filter.groupBy}`)}</th><th>{t('contacts')}</th><th>{t('fcr')}</th><th>{t('aht')}</th><th>{t('csat')}</th><th>{t('dispatchesAvoided')}</th><th>{t('visualShare')}</th><th>{t('credits')}</th></tr></thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.key} className="sv-click" onClick={() => setDrill(filter.groupBy === 'day' ? { from: r.key, to: r.key } : { [filter.groupBy === 'agent' ? 'agentId' : filter.groupBy]: r.key })}>
                <td>{r.key}</td><td>{r.contacts}</td><td>{pct(r.fcr.rate)}</td><td>{secs(r.aht.avgSec)}</td>
                <td>{r.csat.suppressed ? t('csatSuppressed', { min: data.settings.csatMinN }) : pct(r.csat.rate)}</td>
                <td>{r.dispatches.avoided} / {r.dispatches.candidates}</td><td>{pct(r.visual.share)}</td>
                <td>{t('creditsLine', { count: r.credits.count, audited: r.credits.audited, questioned: r.credits.questioned })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {drill && cases.data ? <Cases rows={cases.data.contacts} /> : null}
    </div>
  );
}

function Tiles({ r }: { r: KpiReport }) {
  const x = r.total;
  return (
    <div className="sv-tiles" data-testid="tiles">
      <Tile label={t('contacts')} value={String(x.contacts)} />
      <Tile label={t('fcr')} value={pct(x.fcr.rate)} sub={`${x.fcr.resolvedFirst} / ${x.closed}`} />
      <Tile label={t('aht')} value={secs(x.aht.avgSec)} sub={`n = ${x.aht.segments}`} />
      <Tile label={t('csat')} value={x.csat.suppressed ? t('csatSuppressed', { min: r.settings.csatMinN }) : pct(x.csat.rate)} sub={t('csatN', { n: x.csat.n, rate: pct(x.csat.responseRate) })} />
      <Tile label={t('dispatchesAvoided')} value={`${x.dispatches.avoided}`} sub={`/ ${x.dispatches.candidates}`} />
      <Tile testId="tile-visual" data={{ 'data-first-frame-n': r.firstFrame.n, 'data-first-frame-p50': r.firstFrame.p50Ms ?? '' }} label={t('visualShare')} value={pct(x.visual.share)} sub={`${t('firstFrame')}: ${r.firstFrame.p50Ms ?? t('none')} / ${r.firstFrame.p90Ms ?? t('none')} ms`} />
      <Tile label={t('credits')} value={String(x.credits.count)} sub={t('creditsLine', { count: x.credits.count, audited: x.credits.audited, questioned: x.credits.questioned })} />
      {r.noFrameByCause.length ? <Tile label={t('visualShare')} value={String(x.visual.noFrame)} sub={t('noFrame', { causes: r.noFrameByCause.map((c) => `${c.cause} ${c.n}`).join(', ') })} /> : null}
    </div>
  );
}

function Tile({ label, value, sub, testId, data }: { label: string; value: string; sub?: string; testId?: string; data?: Record<`data-${string}`, string | number> }) {
  return <div className="sv-tile" {...(testId ? { 'data-testid': testId } : {})} {...data}><div className="sv-tile-label">{label}</div><div className="sv-tile-value">{value}</div>{sub ? <div className="sv-tile-sub">{sub}</div> : null}</div>;
}

function Charts({ r, groupBy }: { r: KpiReport; groupBy: Filter['groupBy'] }) {
  const { xs, cats } = useMemo(() => (groupBy === 'day'
    ? { xs: r.rows.map((x) => Date.parse(`${x.key}T00:00:00Z`) / 1000), cats: undefined }
    : { xs: r.rows.map((_x, i) => i), cats: r.rows.map((x) => x.key) }), [r, groupBy]);
  const col = (f: (x: KpiRow) => number | null) => r.rows.map(f);
  const rates = useMemo(() => [
    { label: t('fcr'), values: col((x) => x.fcr.rate), color: '#2563eb', scale: 'pct' },
    { label: t('csat'), values: col((x) => x.csat.rate), color: '#16a34a', scale: 'pct' },
    { label: t('visualShare'), values: col((x) => x.visual.share), color: '#9333ea', scale: 'pct' },
  // eslint-disable-next-line react-hooks/exhaustive-deps
  ], [r]);
  const volume = useMemo(() => [
    { label: t('contacts'), values: col((x) => x.contacts), color: '#0f766e' },
    { label: t('aht'), values: col((x) => x.aht.avgSec), color: '#ea580c' },
  // eslint-disable-next-line react-hooks/exhaustive-deps
  ], [r]);
  if (!r.rows.length) return null;
  return (
    <div className="sv-charts">
      <Chart title={`${t('fcr')} · ${t('csat')} · ${t('visualShare')}`} xs={xs} series={rates} {...(cats ? { categorical: cats } : {})} />
      <Chart title={`${t('contacts')} · ${t('aht')}`} xs={xs} series={volume} {...(cats ? { categorical: cats } : {})} />
    </div>
  );
}

function Cases({ rows }: { rows: ContactRow[] }) {
  return (
    <table className="sv-table" data-testid="cases">
      <caption>{t('drill')}</caption>
      <thead><tr><th>{t('case')}</th><th>{t('agent')}</th><th>{t('when')}</th><th>{t('category')}</th><th>{t('queue')}</th><th>{t('outcome')}</th><th>{t('fcrYes')}</th><th>{t('handle')}</th><th>{t('csatScore')}</th><th>{t('credits')}</th></tr></thead>
      <tbody>
        {rows.map((c) => <tr key={c.contactId}><td>{c.contactId}</td><td>{c.agentId}</td><td>{c.day}</td><td>{c.category}</td><td>{c.queue}</td><td>{c.outcome ?? t('none')}</td><td>{c.firstContactResolved ? '✓' : ''}</td><td>{c.handleSec}</td><td>{c.csat ?? ''}</td><td>{c.credits}</td></tr>)}
      </tbody>
    </table>
  );
}

function Mine({ who }: { who: Who }) {
  const today = isoDay(Date.now());
  const weekAgo = isoDay(Date.now() - 6 * DAY);
  const day = usePoll(() => api<KpiReport>(`kpis?${qs({ from: today, to: today, agentId: who.sub })}`), 30_000, []);
  const week = usePoll(() => api<KpiReport>(`kpis?${qs({ from: weekAgo, to: today, agentId: who.sub })}`), 30_000, []);
  const err = day.error ?? week.error;
  if (err) return <p role="alert" className="sv-error">{err}</p>;
  return (
    <div data-testid="mine">
      <h2>{t('today')}</h2>
      {day.data ? <Tiles r={day.data} /> : null}
      <h2>{t('week')}</h2>
      {week.data ? <Tiles r={week.data} /> : null}
    </div>
  );
}
