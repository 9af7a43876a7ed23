/**
 * The agent's annotation stage, mounted in the workstation's overlay slot over
 * the live video: Konva stage + toolbar + keyboard shortcuts + Save to case.
 */
import { useEffect, useRef, useState } from 'react';
import type { Messenger } from '../../call/peer/data-channel';
import { useLocale } from '../../i18n/react';
import { useStore } from '../../call/observable-store';
import { grabVideoFrame } from '../../image/encode';
import type { StillMap } from '../../stills/still-map';
import { t } from '../messages';
import { saveAnnotationSet, type SavedSet } from '../save/save-to-case';
import { AgentAnnotator } from './agent-annotator';
import { Toolbar } from './Toolbar';
import '../annotation.css';

export interface AgentAnnotationStageProps {
  video: HTMLVideoElement | null;
  messenger: Messenger | null;
  /** The call's stills map: a freeze shows the customer's still from here. */
  stills?: StillMap | null;
  /** The case this call belongs to (null: Save to case is disabled). */
  caseId?: number | null;
  /** renderer -> main calls (the workstation bridge); absent in harnesses without a host. */
  invoke?: Parameters<typeof saveAnnotationSet>[0];
  /** For tests and the benchmark. */
  onAnnotator?: (a: AgentAnnotator | null) => void;
  /** After a successful save (e.g. refresh the case timeline). */
  onSaved?: (saved: SavedSet) => void;
  /** An annotator made by the host (the technician's page makes one in guest mode). */
  annotator?: AgentAnnotator;
}

type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved'; value: SavedSet } | { status: 'error'; message: string };

export function AgentAnnotationStage({ video, messenger, stills = null, caseId = null, invoke, onAnnotator, onSaved, annotator }: AgentAnnotationStageProps) {
  useLocale();
  const [a] = useState(() => annotator ?? new AgentAnnotator());
  const s = useStore(a.store);
  const stageRef = useRef<HTMLDivElement>(null);
  const [save, setSave] = useState<SaveState>({ status: 'idle' });

  useEffect(() => { onAnnotator?.(a); return () => onAnnotator?.(null); }, [a, onAnnotator]);
  useEffect(() => () => a.dispose(), [a]);
  useEffect(() => (messenger ? a.connect(messenger, stills) : undefined), [a, messenger, stills]);
  useEffect(() => (video && stageRef.current ? a.attach(stageRef.current, video) : undefined), [a, video]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (a.onKeyDown(e)) e.preventDefault(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [a]);

  const onSave = async () => {
    if (!invoke || caseId === null) return;
    const frame = a.still ?? (video ? (() => { const c = grabVideoFrame(video); return c ? { image: c, w: c.width, h: c.height, bytes: null, mime: 'image/jpeg' } : null; })() : null);
    if (!frame) return;
    setSave({ status: 'saving' });
    const r = await saveAnnotationSet(invoke, caseId, a.doc, frame, `${a.doc.author}-${Date.now().toString(36)}`);
    setSave(r.ok ? { status: 'saved', value: r.value } : { status: 'error', message: r.error.message });
    if (r.ok) onSaved?.(r.value);
  };

  const status = save.status === 'saving' ? t('saving')
    : save.status === 'saved' ? t('saved', { shapes: save.value.shapes })
    : save.status === 'error' ? t('saveFailed', { message: save.message })
    : s.notice === 'limit' ? t('limit')
    : s.frozen ? (a.guest || s.colleague ? t('frozenByAgent') : s.frozen.sharp ? t('frozen') : t('frozenWaiting'))
    : s.rejections ? t('rejected', { count: s.rejections }) : null;

  return (
    <div className="annot-host" data-testid="annotation-host">
      <div
        ref={stageRef}
        className="annot-stage"
        data-testid="annotation-stage"
        data-tool={s.tool}
        data-shapes={s.shapes}
        data-colleague={s.colleague ? 'yes' : 'no'}
        data-frozen={s.frozen ? (s.frozen.sharp ? 'sharp' : 'local') : 'no'}
        onPointerDown={(e) => a.onPointerDown(e.nativeEvent)}
        onPointerMove={(e) => a.onPointerMove(e.nativeEvent)}
        onPointerUp={(e) => a.onPointerUp(e.nativeEvent)}
        onPointerCancel={(e) => a.onPointerUp(e.nativeEvent)}
      />
      <Toolbar a={a} canSave={!!invoke && caseId !== null && save.status !== 'saving'} onSave={() => void onSave()} />
      {s.textDraft ? (
        <input
          className="annot-text" data-testid="annotation-text-input" autoFocus maxLength={200}
          style={{ left: s.textDraft.left, top: s.textDraft.top }} placeholder={t('textPlaceholder')} aria-label={t('text')}
          onKeyDown={(e) => {
            if (e.key === 'Enter') a.commitText(e.currentTarget.value);
            else if (e.key === 'Escape') a.cancelText();
            e.stopPropagation();
          }}
          onBlur={(e) => a.commitText(e.currentTarget.value)}
        />
      ) : null}
      {status ? <div className="annot-status" data-testid="annotation-status" data-save={save.status}>{status}</div> : null}
    </div>
  );
}
