import { useStore } from '../call/observable-store';
import { failedWrites } from './durable-write';
import { errorText } from './error-text';
import { t } from './messages';

/** What was captured but not saved to the case yet, with a retry: never lost silently (durable-write.ts). */
export function WriteFailures() {
  const { items } = useStore(failedWrites);
  if (!items.length) return null;
  return (
    <div className="ws-warn cases-write-failures" role="alert" data-testid="write-failures">
      {items.map((w) => (
        <p key={w.id} data-testid="write-failure" data-kind={w.kind} data-code={w.error.code}>
          {t(w.kind === 'session' ? 'writeFailedSession' : 'writeFailedSnapshot', { id: w.caseId, reason: errorText(w.error) })}{' '}
          <button type="button" onClick={() => void w.retry()}>{t('writeRetry')}</button>{' '}
          <button type="button" onClick={w.dismiss}>{t('writeDismiss')}</button>
        </p>
      ))}
    </div>
  );
}
