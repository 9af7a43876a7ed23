/**
 * "Send a photo": a button that opens the gallery or files through a hidden file input
 * (the customer's stills overlay and the no-video photo fallback both offer it). Plain DOM.
 */
import { h } from '../ui/dom';

export interface PhotoPicker { button: HTMLButtonElement; input: HTMLInputElement }

export function photoPicker(ids: { button: string; input: string }, onFile: (f: File) => void, buttonAttrs: Record<string, string> = {}): PhotoPicker {
  const input = h('input', { 'data-testid': ids.input, type: 'file', accept: 'image/*', hidden: true });
  const button = h('button', { type: 'button', 'data-testid': ids.button, ...buttonAttrs });
  button.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    input.value = '';
    if (f) onFile(f);
  });
  return { button, input };
}
