/**
 * The agent's marks over the customer's own camera preview (same model, same Konva
 * renderer: customer-annotator.ts); tapping the picture points something out to the
 * agent. Plain DOM, mounted by the customer page's lazily loaded overlays; redraws its
 * state attributes and banner on the annotator's store and on a language switch.
 */
import '../globals';
import type { Messenger } from '../../call/peer/data-channel';
import { onLocaleChange } from '../../i18n';
import { h, setAttrs, setText } from '../../ui/dom';
import { t } from '../messages';
import { CustomerAnnotator } from './customer-annotator';
import '../annotation.css';

export function mountCustomerAnnotation(host: HTMLElement, d: { messenger: Messenger; video: HTMLVideoElement }): () => void {
  const a = new CustomerAnnotator();
  const layer = h('div', { class: 'annot-customer', 'data-testid': 'customer-annotation' });
  const banner = h('div', { class: 'annot-banner', 'data-testid': 'customer-frozen-banner' });
  const el = h('div', { class: 'annot-host' }, layer);
  layer.addEventListener('pointerdown', (e) => a.onPointerDown(e));
  const draw = () => {
    const s = a.store.get();
    setAttrs(layer, { 'data-shapes': s.shapes, 'data-frozen': s.frozen ? 'yes' : 'no', 'data-synced': s.synced ? 'yes' : 'no', title: t('customerHint') });
    setText(banner, t('customerFrozen'));
    if (s.frozen && !banner.isConnected) el.append(banner);
    else if (!s.frozen && banner.isConnected) banner.remove();
  };
  draw();
  host.append(el);
  window.__annotationCustomer = a;
  const offs = [a.store.subscribe(draw), onLocaleChange(draw), a.connect(d.messenger), a.attach(layer, d.video)];
  return () => {
    for (const off of offs.reverse()) off?.();
    if (window.__annotationCustomer === a) window.__annotationCustomer = null;
    a.dispose();
    el.remove();
  };
}
