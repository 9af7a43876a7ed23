/**
 * The end-of-call survey: one tap on 1–5 sends the score (that alone is an answer), then an
 * optional comment. Posted to the signaling node with the invite link as the credential
 * (POST /join/<token>/survey); the agent's workstation writes it into the case.
 */
import { h, Keyed, part, setAttr, setText, type Part } from '../../ui/dom';
import { t } from '../survey-messages';

type State = 'ask' | 'comment' | 'done' | 'failed';

async function post(token: string, body: { score: number; comment?: string }): Promise<boolean> {
  try {
    const res = await fetch(`/join/${encodeURIComponent(token)}/survey`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // 409: already answered (e.g. the score went, now the comment) — the score stands
    return res.ok || res.status === 409;
  } catch { return false; }
}

/** The survey, or its thanks once answered (a `display: contents` host keeps them in the page's flow). */
export function survey(token: string): Part {
  let state: State = 'ask';
  let score = 0;
  const host = h('div', { class: 'c-survey-host' });
  const shown = new Keyed(host);

  const question = h('h2');
  const low = h('span', { class: 'c-survey-end' });
  const high = h('span', { class: 'c-survey-end' });
  const scores = [1, 2, 3, 4, 5].map((n) => {
    const b = h('button', { type: 'button', 'data-testid': `survey-${n}` }, String(n));
    // The score is kept on the device until the comment step ends, so one request carries both; a tap alone still counts.
    b.addEventListener('click', () => { score = n; state = 'comment'; draw(); });
    return b;
  });
  const label = document.createTextNode('');
  const comment = h('textarea', { maxlength: 1000, rows: 3, 'data-testid': 'survey-comment' });
  const send = h('button', { type: 'submit', 'data-testid': 'survey-send' });
  const form = h('form', null, h('label', null, label, comment), send);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = comment.value.trim();
    void post(token, { score, ...(text ? { comment: text.slice(0, 1000) } : {}) }).then((ok) => { state = ok ? 'done' : 'failed'; draw(); });
  });
  const failed = h('p', { role: 'alert' });
  const section = h('section', { class: 'c-survey', 'data-testid': 'survey' }, question, h('div', { class: 'c-survey-scale', role: 'group' }, low, ...scores, high));
  const inner = new Keyed(section);
  const head = section.firstChild!, scale = section.lastChild!;

  const draw = () => {
    if (state === 'done') {
      shown.render([{ key: 'thanks', make: () => part(h('p', { class: 'c-survey-thanks', 'data-testid': 'survey-thanks' }), (el) => setText(el, t('thanks'))) }]);
      return;
    }
    setAttr(section, 'aria-label', t('question'));
    setText(question, t('question'));
    setText(low, t('low'));
    setText(high, t('high'));
    scores.forEach((b, i) => { setAttr(b, 'aria-pressed', String(score === i + 1)); setAttr(b, 'aria-label', t('scoreLabel', { score: i + 1 })); });
    setText(label, t('commentLabel'));
    setText(send, t('send'));
    setText(failed, t('failed'));
    inner.render([
      { key: 'head', make: () => ({ el: head }) },
      { key: 'scale', make: () => ({ el: scale }) },
      (state === 'comment' || state === 'failed') && { key: 'form', make: () => ({ el: form }) },
      state === 'failed' && { key: 'failed', make: () => ({ el: failed }) },
    ]);
    shown.render([{ key: 'survey', make: () => ({ el: section }) }]);
  };
  draw();
  return { el: host, update: draw };
}
