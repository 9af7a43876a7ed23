/**
 * The agent's marks over the customer's own camera preview (same model, same
 * Konva renderer); tapping the picture points something out to the agent.
 */
import { useEffect, useRef, useState } from 'react';
import type { Messenger } from '../../call/peer/data-channel';
import { useLocale } from '../../i18n/react';
import { useStore } from '../../call/observable-store';
import { t } from '../messages';
import { CustomerAnnotator } from './customer-annotator';
import '../annotation.css';

export interface CustomerAnnotationLayerProps {
  video: HTMLVideoElement | null;
  messenger: Messenger | null;
  onAnnotator?: (a: CustomerAnnotator | null) => void;
}

export function CustomerAnnotationLayer({ video, messenger, onAnnotator }: CustomerAnnotationLayerProps) {
  useLocale();
  const [a] = useState(() => new CustomerAnnotator());
  const s = useStore(a.store);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { onAnnotator?.(a); return () => onAnnotator?.(null); }, [a, onAnnotator]);
  useEffect(() => () => a.dispose(), [a]);
  useEffect(() => (messenger ? a.connect(messenger) : undefined), [a, messenger]);
  useEffect(() => (video && ref.current ? a.attach(ref.current, video) : undefined), [a, video]);
  return (
    <div className="annot-host">
      <div
        ref={ref}
        className="annot-customer"
        data-testid="customer-annotation"
        data-shapes={s.shapes}
        data-frozen={s.frozen ? 'yes' : 'no'}
        data-synced={s.synced ? 'yes' : 'no'}
        title={t('customerHint')}
        onPointerDown={(e) => a.onPointerDown(e.nativeEvent)}
      />
      {s.frozen ? <div className="annot-banner" data-testid="customer-frozen-banner">{t('customerFrozen')}</div> : null}
    </div>
  );
}
