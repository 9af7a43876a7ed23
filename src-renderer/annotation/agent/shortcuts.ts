/**
 * The agent's keyboard shortcuts (shown in every tooltip, see gestures.ts's
 * SHORTCUTS) mapped onto annotator commands. Keys typed into an input are
 * never ours.
 */
import type { AgentAnnotator, WidthName } from './agent-annotator';
import { COLORS, SHORTCUTS, type Tool } from './gestures';

const TOOL_BY_KEY: Record<string, Tool> = Object.fromEntries(Object.entries(SHORTCUTS).map(([tool, key]) => [key.toLowerCase(), tool as Tool]));
const WIDTHS: WidthName[] = ['thin', 'medium', 'thick'];

/** Returns true when the key was ours (the caller then prevents the default). */
export function handleShortcut(a: AgentAnnotator, e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return false;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') { if (e.shiftKey) a.redo(); else a.undo(); return true; }
  if (mod && key === 'y') { a.redo(); return true; }
  if (mod || e.altKey) return false;
  if (key === 'escape') { a.escape(); return true; }
  if (key === 'delete' || key === 'backspace') {
    if (e.shiftKey) a.clearAll(); else a.deleteSelected();
    return true;
  }
  if (key === 'f') { a.toggleFreeze(); return true; }
  if (key === '[' || key === ']') {
    const i = WIDTHS.indexOf(a.state.width) + (key === ']' ? 1 : -1);
    a.setWidth(WIDTHS[Math.max(0, Math.min(WIDTHS.length - 1, i))]!);
    return true;
  }
  if (/^[1-6]$/.test(key)) { a.setColor(COLORS[Number(key) - 1]!.hex); return true; }
  const tool = TOOL_BY_KEY[key];
  if (tool && !e.shiftKey) { a.setTool(tool); return true; }
  return false;
}
