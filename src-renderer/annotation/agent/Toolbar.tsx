import { useLocale } from '../../i18n/react';
import { useStore } from '../../call/observable-store';
import { t } from '../messages';
import type { AgentAnnotator, WidthName } from './agent-annotator';
import { COLORS, SHORTCUTS, type Tool } from './gestures';

const TOOLS: ReadonlyArray<{ tool: Tool; icon: string }> = [
  { tool: 'select', icon: '⬚' }, { tool: 'arrow', icon: '↗' }, { tool: 'ellipse', icon: '◯' }, { tool: 'rect', icon: '▭' },
  { tool: 'pen', icon: '✎' }, { tool: 'text', icon: 'T' }, { tool: 'step', icon: '①' }, { tool: 'laser', icon: '✦' },
];
const WIDTHS: ReadonlyArray<{ w: WidthName; icon: string }> = [{ w: 'thin', icon: '─' }, { w: 'medium', icon: '━' }, { w: 'thick', icon: '▬' }];

/** Every button's tooltip names its keyboard shortcut. */
export function Toolbar({ a, canSave, onSave }: { a: AgentAnnotator; canSave: boolean; onSave: () => void }) {
  useLocale();
  const s = useStore(a.store);
  const tip = (label: string, key: string) => t('shortcut', { label, key });
  return (
    <div className="annot-toolbar" role="toolbar" aria-label={t('toolbar')} data-testid="annotation-toolbar" onPointerDown={(e) => e.stopPropagation()}>
      {TOOLS.map(({ tool, icon }) => (
        <button key={tool} type="button" data-testid={`tool-${tool}`} aria-pressed={s.tool === tool}
          title={tip(t(tool), SHORTCUTS[tool])} aria-label={tip(t(tool), SHORTCUTS[tool])} onClick={() => a.setTool(tool)}>{icon}</button>
      ))}
      <span className="sep" />
      {a.guest ? <span className="swatch" data-testid="guest-color" style={{ background: a.guest.color }} title={t('guestColor')} aria-label={t('guestColor')} />
        : s.colleague ? <span className="swatch" data-testid="colleague-color" style={{ background: s.color }} title={t('colleagueColor')} aria-label={t('colleagueColor')} />
        : COLORS.map((c, i) => (
        <button key={c.hex} type="button" className="swatch" data-testid={`color-${c.name}`} aria-pressed={s.color === c.hex}
          style={{ background: c.hex }} title={tip(t('colorName', { name: t(c.name) }), String(i + 1))}
          aria-label={tip(t('colorName', { name: t(c.name) }), String(i + 1))} onClick={() => a.setColor(c.hex)} />
      ))}
      <span className="sep" />
      {WIDTHS.map(({ w, icon }) => (
        <button key={w} type="button" data-testid={`width-${w}`} aria-pressed={s.width === w}
          title={tip(`${t('width')}: ${t(w)}`, '[ ]')} aria-label={tip(`${t('width')}: ${t(w)}`, '[ ]')} onClick={() => a.setWidth(w)}>{icon}</button>
      ))}
      <span className="sep" />
      <button type="button" data-testid="annot-undo" disabled={!s.canUndo} title={tip(t('undo'), 'Ctrl+Z')} aria-label={tip(t('undo'), 'Ctrl+Z')} onClick={() => a.undo()}>↶</button>
      <button type="button" data-testid="annot-redo" disabled={!s.canRedo} title={tip(t('redo'), 'Ctrl+Shift+Z')} aria-label={tip(t('redo'), 'Ctrl+Shift+Z')} onClick={() => a.redo()}>↷</button>
      <button type="button" data-testid="annot-delete" disabled={!s.selected} title={tip(t('delete'), 'Del')} aria-label={tip(t('delete'), 'Del')} onClick={() => a.deleteSelected()}>✕</button>
      <button type="button" data-testid="annot-clear" disabled={!s.shapes} title={tip(t('clear'), 'Shift+Del')} aria-label={tip(t('clear'), 'Shift+Del')} onClick={() => a.clearAll()}>⌫</button>
      {a.guest ? null : <>
      <span className="sep" />
      <button type="button" data-testid="annot-freeze" aria-pressed={!!s.frozen} disabled={s.colleague} title={s.colleague ? t('colleagueFreeze') : tip(s.frozen ? t('resume') : t('freeze'), 'F')}
        aria-label={tip(s.frozen ? t('resume') : t('freeze'), 'F')} onClick={() => a.toggleFreeze()}>{s.frozen ? '▶' : '❚❚'}</button>
      <button type="button" data-testid="annot-save" disabled={!canSave} title={t('save')} aria-label={t('save')} onClick={onSave}>⇩</button>
      </>}
    </div>
  );
}
