import type { StoredEvent } from '../../src-preload/contract/cases';
import { getLocale } from '../i18n';
import { useLocale } from '../i18n/react';
import { t } from './messages';
import { categoryLabel } from './CategorySelect';
import { formatMoney } from './money';
import { Thumb } from './Thumb';
import { ShowOriginal } from './ShowOriginal';
import { useViewer } from '../auth/viewer';

const when = (at: number) => new Date(at).toLocaleString(getLocale() === 'ja' ? 'ja-JP' : 'en-US', { dateStyle: 'short', timeStyle: 'short' });

function title(e: StoredEvent): string {
  const b = e.body;
  switch (b.type) {
    case 'case_opened': return t('ev_case_opened', { subject: b.subject }) + (b.category ? ` · ${categoryLabel(b.category)}` : '');
    case 'session_started': return t('ev_session_started');
    case 'session_ended': return t('ev_session_ended', { reason: b.reason });
    case 'context_packet': return t('ev_context_packet', { device: `${b.context.deviceClass} · ${b.context.os} · ${b.context.browser}` });
    case 'snapshot': return t('ev_snapshot', { w: b.width, h: b.height });
    case 'ocr_result': return t('ev_ocr_result');
    case 'ocr_field_review': return t(b.verdict === 'confirmed' ? 'ev_ocr_field_confirmed' : 'ev_ocr_field_corrected', { field: b.field, value: b.value });
    case 'annotation_set': return t('ev_annotation_set', { count: b.shapes.length });
    case 'note': return t('ev_note');
    case 'disposition': return t('ev_disposition', { outcome: t(`outcome_${b.disposition.outcome}`) });
    case 'credit': return t('ev_credit', { amount: formatMoney(b.amountMinor, b.currency), state: t(`creditState_${b.state}`) + (b.audited ? ` · ${t('audited')}` : '') });
    case 'transfer': return t('ev_transfer', { from: b.fromAgentId, to: b.toAgentId });
    case 'csat': return t('ev_csat', { score: b.score });
    case 'credit_review': return t(b.verdict === 'fine' ? 'ev_credit_review_fine' : 'ev_credit_review_questioned', { by: b.reviewerId });
    case 'original_viewed': return t('ev_original_viewed', { name: b.viewerName });
    case 'segment_started': return t(`ev_segment_${b.via}`, { agent: e.agentId });
    case 'guest': return t(`ev_guest_${b.action}`, { name: b.name || t('guest_unnamed') });
    case 'segment_ended': return t('ev_segment_ended', { agent: e.agentId, talk: b.talkSec, hold: b.holdSec, acw: b.acwSec });
  }
}

function detail(e: StoredEvent): string | null {
  const b = e.body;
  if (b.type === 'note') return b.text;
  if (b.type === 'ocr_result') return b.text.slice(0, 300);
  if (b.type === 'disposition') return [b.disposition.summary, ...(b.disposition.partsAndTools ?? []).map((p) => `${p.qty} × ${p.item}`)].filter(Boolean).join('\n');
  if (b.type === 'credit' || b.type === 'transfer' || b.type === 'original_viewed') return b.reason || null;
  if (b.type === 'csat') return b.comment ?? null;
  if (b.type === 'credit_review') return b.note ?? null;
  return null;
}

/** The picture of a visual event: thumbnail if stored, else the still or the composite. */
function picture(e: StoredEvent): string | null {
  const b = e.body;
  if (b.type === 'snapshot') return b.thumbSha256 ?? b.sha256;
  if (b.type === 'annotation_set') return b.compositeSha256 ?? b.frameSha256 ?? null;
  return null;
}

/** Newest first; each entry says what happened, when, and shows past visuals as thumbnails. */
export function Timeline({ events, showCase }: { events: StoredEvent[]; showCase?: boolean }) {
  useLocale();
  const viewer = useViewer();
  const supervisor = viewer?.roles.includes('supervisor') ?? false;
  if (events.length === 0) return <p className="cases-muted">{t('noHistory')}</p>;
  return (
    <ol className="cases-timeline" data-testid="case-timeline">
      {events.map((e) => {
        const pic = picture(e);
        const text = detail(e);
        return (
          <li key={e.seq} data-type={e.body.type} data-seq={e.seq}>
            <div className="cases-tl-head">
              <span>{title(e)}</span>
              <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}{showCase ? ` · ${t('caseLabel', { id: e.caseId })}` : ''}</time>
            </div>
            {pic ? <Thumb caseId={e.caseId} sha256={pic} alt={t('thumbAlt', { time: when(e.at) })} /> : null}
            {text ? <p className="cases-tl-text">{text}</p> : null}
            {supervisor && e.body.type === 'snapshot' && e.body.originalKept ? <ShowOriginal caseId={e.caseId} sha256={e.body.sha256} /> : null}
          </li>
        );
      })}
    </ol>
  );
}
