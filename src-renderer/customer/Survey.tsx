/**
 * The end-of-call survey: one tap on 1–5 sends the score (that alone is an
 * answer), then an optional comment. Posted to the signaling node with the
 * invite link as the credential (POST /join/<token>/survey); the agent's
 * workstation writes it into the case. Deliberately tiny: no dependencies
 * beyond React, which the page already has.
 */
import { useState } from 'react';
import { t } from './survey-messages';

type State = 'ask' | 'comment' | 'done' | 'failed';

export function Survey({ token }: { token: string }) {
  const [state, setState] = useState<State>('ask');
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const post = async (body: { score: number; comment?: string }): Promise<boolean> => {
    try {
      const res = await fetch(`/join/${encodeURIComponent(token)}/survey`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      // 409: already answered (e.g. the score went, now the comment) — the score stands
      return res.ok || res.status === 409;
    } catch { return false; }
  };
  // The score is kept on the device until the comment step ends, so one request carries both; a tap alone still counts.
  const pick = (n: number) => { setScore(n); setState('comment'); };
  const send = async (withComment: boolean) => {
    const ok = await post({ score, ...(withComment && comment.trim() ? { comment: comment.trim().slice(0, 1000) } : {}) });
    setState(ok ? 'done' : 'failed');
  };
  if (state === 'done') return <p className="c-survey-thanks" data-testid="survey-thanks">{t('thanks')}</p>;
  return (
    <section className="c-survey" data-testid="survey" aria-label={t('question')}>
      <h2>{t('question')}</h2>
      <div className="c-survey-scale" role="group">
        <span className="c-survey-end">{t('low')}</span>
        {[1, 2, 3, 4, 5].map((n) => (
          <button key={n} type="button" aria-pressed={score === n} aria-label={t('scoreLabel', { score: n })} data-testid={`survey-${n}`} onClick={() => pick(n)}>{n}</button>
        ))}
        <span className="c-survey-end">{t('high')}</span>
      </div>
      {state === 'comment' || state === 'failed' ? (
        <form onSubmit={(e) => { e.preventDefault(); void send(true); }}>
          <label>{t('commentLabel')}<textarea value={comment} maxLength={1000} rows={3} onChange={(e) => setComment(e.target.value)} data-testid="survey-comment" /></label>
          <button type="submit" data-testid="survey-send">{t('send')}</button>
        </form>
      ) : null}
      {state === 'failed' ? <p role="alert">{t('failed')}</p> : null}
    </section>
  );
}
