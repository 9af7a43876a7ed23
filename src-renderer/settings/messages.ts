import { defineMessages } from '../i18n/index';

export const t = defineMessages(
  'settings',
  {
    title: 'Settings',
    managed: 'Managed by your organisation',
    managedTitle: 'Set by {origin}; only your IT department can change it.',
    recommended: 'Recommended by your organisation',
    policyOnly: 'Set by your organisation\'s policy only',
    saveFailed: 'Not saved: {message}',
    loadFailed: 'Settings unavailable: {message}',
    on: 'On',
    off: 'Off',
    none: '(none)',
    issues: 'Some policy values were ignored: {count}',
  },
  {
    title: '設定',
    managed: '組織によって管理されています',
    managedTitle: '{origin} で設定されています。変更できるのは IT 部門のみです。',
    recommended: '組織の推奨値',
    policyOnly: '組織のポリシーでのみ設定できます',
    saveFailed: '保存されませんでした: {message}',
    loadFailed: '設定を読み込めません: {message}',
    on: 'オン',
    off: 'オフ',
    none: '（なし）',
    issues: '無視されたポリシー値があります: {count} 件',
  },
);
