/** A full-page message of the customer's page (checking the link, a refused link, the end of the call). */
import { h, part, setText, type Part } from '../../ui/dom';

export interface NoticeText { title: string; body: string }

/** `text` is read on every update (a language switch); `extra` nodes follow the body (a detail line, a button). */
export function notice(testId: string, text: () => NoticeText, ...extra: Node[]): Part {
  const title = h('h1');
  const body = h('p');
  return part(h('main', { class: 'c-notice', 'data-testid': testId }, title, body, ...extra), () => {
    const x = text();
    setText(title, x.title);
    setText(body, x.body);
  });
}
