import type { ApiError } from '../../src-preload/contract/types';
import { t } from './messages';

/**
 * What the agent reads when a case call fails. A locked or full database is
 * not the agent's doing and says what to do, in the agent's language; other
 * failures keep main's message inside the translated frame.
 */
export function errorText(e: ApiError): string {
  if (e.code === 'busy') return t('errorBusy');
  if (e.code === 'disk_full') return t('errorDiskFull');
  if (e.code === 'case_closed') return t('errorCaseClosed');
  if (e.code === 'bundle_unverified') return t('errorBundleUnverified');
  return t('error', { message: e.message });
}
