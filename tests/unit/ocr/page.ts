/** Build OcrPages from plain text for extractor tests: one line per text line, words split on spaces, boxes laid out on a grid. */
import type { OcrPage } from '../../../src-main/bills/types';

export function pageOf(text: string, lang = 'eng', confidence = 0.95): OcrPage {
  const lines = text.split('\n').map((t) => t.trim()).filter(Boolean).map((t, i) => {
    let x = 20;
    const words = t.split(/\s+/).map((w) => {
      const box = { x, y: 20 + i * 40, w: w.length * 14, h: 24 };
      x += box.w + (w.endsWith('|') ? 200 : 14);
      return { text: w.replace(/\|$/, ''), box, confidence };
    });
    return { text: words.map((w) => w.text).join(' '), box: { x: 20, y: 20 + i * 40, w: x - 20, h: 24 }, confidence, words };
  });
  return { width: 1000, height: 40 * lines.length + 40, lang, text: lines.map((l) => l.text).join('\n'), lines };
}
