/**
 * The workstation's team panel: my status, who else is signed in (status,
 * skills, queues), transfer / consult buttons while I am with a customer,
 * how a hand-off in flight stands (cancel, complete, back to the customer),
 * and offers to me with the sender's hand-off note.
 */
import { useState } from 'react';
import type { PresenceStatus } from '../../signaling-server/protocol';
import { useStore } from '../call/observable-store';
import { useCall } from '../agent/call-context';
import { useLocale } from '../i18n/react';
import type { AgentHandoff } from './agent-handoff';
import { consultOpen } from './model/consult';
import { isPending } from './model/transfer';
import { t } from './messages';

const STATUSES: PresenceStatus[] = ['available', 'wrap_up', 'away'];

export function HandoffPanel({ handoff, caseRef }: { handoff: AgentHandoff; caseRef?: () => { caseRef?: string; customerName?: string } }) {
  useLocale();
  const { state: call, call: agentCall } = useCall();
  const h = useStore(handoff.store);
  const [note, setNote] = useState('');
  const [keepVideo, setKeepVideo] = useState(true);
  const withCustomer = call.phase === 'connected' && !!call.customer && !call.consultGuest;
  const busy = isPending(h.transfer) || consultOpen(h.consult);
  const nameOf = (id: string) => h.directory.find((p) => p.id === id)?.name ?? id;
  const ctx = () => caseRef?.() ?? {};
  const others = h.directory.filter((p) => p.id !== agentCall.agentId);
  return (
    <section className="panel handoff" data-testid="handoff-panel" aria-label={t('title')}>
      <h2>{t('title')}</h2>
      <label>{t('myStatus')}{' '}
        <select data-testid="my-status" value={h.myStatus} disabled={busy} title={busy ? t('statusLockedHandoff') : undefined} onChange={(e) => handoff.setStatus(e.target.value as PresenceStatus)}>
          {STATUSES.map((s) => <option key={s} value={s}>{t(`status_${s}`)}</option>)}
        </select>
      </label>

      {h.offers.map((o) => (
        <div className="handoff-offer" key={o.handoffId} data-testid="handoff-offer" data-kind={o.kind} data-handoff-id={o.handoffId}>
          <strong>{t(`offerTitle_${o.kind}`, { from: o.from.name ?? o.from.agentId })}</strong>
          {o.queue ? <div>{t('offerQueue', { queue: o.queue })}</div> : null}
          {o.customerName ? <div>{t('offerCustomer', { name: o.customerName })}</div> : null}
          <blockquote data-testid="offer-note">{o.note || t('noNote')}</blockquote>
          <button className="primary" data-testid="offer-accept" onClick={() => handoff.accept(o.handoffId)}>{t('accept')}</button>
          <button data-testid="offer-decline" onClick={() => handoff.decline(o.handoffId)}>{t('decline')}</button>
        </div>
      ))}

      {h.receiving ? (
        <div className="handoff-receiving" data-testid="handoff-receiving" data-kind={h.receiving.kind} data-case={h.receivedCase}>
          <strong>{t('receivingNote', { from: h.receiving.from.name ?? h.receiving.from.agentId })}</strong>
          <blockquote data-testid="receiving-note">{h.receiving.note || t('noNote')}</blockquote>
          {h.receiving.kind === 'consult' ? <button data-testid="leave-consult" onClick={() => handoff.leave()}>{t('leaveConsult')}</button> : null}
        </div>
      ) : null}

      <TransferStatus handoff={handoff} nameOf={nameOf} />

      {withCustomer && !busy ? (
        <>
          <label className="handoff-note">{t('note')}
            <textarea data-testid="handoff-note" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <label><input type="checkbox" data-testid="consult-keep-video" checked={keepVideo} onChange={(e) => setKeepVideo(e.target.checked)} /> {t('videoKept')}</label>
        </>
      ) : null}

      {others.length === 0 ? <p className="muted">{t('nobody')}</p> : (
        <ul className="handoff-people" data-testid="directory">
          {others.map((p) => (
            <li key={p.id} data-testid="person" data-person={p.id} data-status={p.status}>
              <span className={`dot status-${p.status}`} aria-hidden /> {p.name ?? p.id} · {t(`status_${p.status}`)}
              {p.skills.length ? <small> · {p.skills.join(', ')}</small> : null}
              {withCustomer && !busy && p.status !== 'away' && p.roles.some((r) => r === 'agent' || r === 'supervisor') ? (
                <span className="handoff-actions">
                  <button data-testid="warm-transfer" onClick={() => handoff.transfer('warm', { agentId: p.id }, note, ctx())}>{t('warm')}</button>
                  <button data-testid="consult" onClick={() => handoff.consult(p.id, keepVideo ? 'kept' : 'paused', note, ctx())}>{t('consult')}</button>
                  <button data-testid="cold-transfer" onClick={() => handoff.transfer('cold', { agentId: p.id }, note, ctx())}>{t('cold')}</button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {withCustomer && !busy && h.queues.length ? (
        <div className="handoff-queues">
          <strong>{t('queues')}</strong>
          {h.queues.map((q) => <button key={q} data-testid="queue-transfer" data-queue={q} onClick={() => handoff.transfer('cold', { queue: q }, note, ctx())}>{t('cold')}: {q}</button>)}
        </div>
      ) : null}
    </section>
  );
}

function TransferStatus({ handoff, nameOf }: { handoff: AgentHandoff; nameOf: (id: string) => string }) {
  const h = useStore(handoff.store);
  const tr = h.transfer;
  const c = h.consult;
  const whoOf = (target: { agentId: string } | { queue: string }) => ('agentId' in target ? nameOf(target.agentId) : target.queue);
  if (tr.phase === 'requesting' || tr.phase === 'ringing') {
    return (
      <div className="handoff-status" data-testid="transfer-status" data-phase={tr.phase} data-kind={tr.kind}>
        {t(tr.phase === 'requesting' ? 'pendingRequesting' : 'pendingRinging', { who: whoOf(tr.target) })}
        <button data-testid="handoff-cancel" onClick={() => handoff.cancel()}>{t('cancel')}</button>
      </div>
    );
  }
  if (tr.phase === 'joined') {
    return (
      <div className="handoff-status" data-testid="transfer-status" data-phase="joined" data-kind={tr.kind}>
        {t(tr.kind === 'warm' ? 'pendingJoinedWarm' : 'pendingJoinedCold', { who: nameOf(tr.acceptedBy) })}
        {tr.kind === 'warm' ? <button className="primary" data-testid="handoff-complete" onClick={() => handoff.completeTransfer()}>{t('complete')}</button> : null}
        <button data-testid="handoff-cancel" onClick={() => handoff.cancel()}>{t('cancel')}</button>
      </div>
    );
  }
  if (tr.phase === 'failed') {
    return (
      <div className="handoff-status" data-testid="transfer-status" data-phase="failed" data-reason={tr.reason}>
        {t(`failed_${tr.reason}`, { who: '', message: tr.message ?? '' })}
      </div>
    );
  }
  if (consultOpen(c)) {
    return (
      <div className="handoff-status" data-testid="consult-status" data-phase={c.phase}>
        {c.phase === 'talking' ? t('consultTalking', { who: nameOf(c.colleagueId) }) : t(c.phase === 'requesting' ? 'pendingRequesting' : 'pendingRinging', { who: nameOf(c.colleagueId) })}
        <button className="primary" data-testid="consult-return" onClick={() => handoff.returnFromConsult()}>{c.phase === 'talking' ? t('returnToCustomer') : t('cancel')}</button>
      </div>
    );
  }
  if (c.phase === 'idle' && c.last) {
    return <div className="handoff-status" data-testid="consult-status" data-phase="idle" data-end={c.last.end}>{c.last.end === 'returned' ? t('consultEnded') : t(`failed_${c.last.end === 'colleague_left' ? 'target_gone' : c.last.end}`, { who: '', message: c.last.message ?? '' })}</div>;
  }
  return null;
}
