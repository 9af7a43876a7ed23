import { defineMessages } from '../i18n';

/** Errors the bridge itself produces (before any handler runs); the UI may show them as they are. */
export const t = defineMessages('bridge', {
  noSecret: 'This page has no access key. Open the Workstation link printed when the workstation started.',
  unreachable: 'The workstation is not answering. Is it still running?',
  badAnswer: 'The workstation sent an answer this page does not understand (HTTP {status}). Reload the page.',
  noAnswer: 'The workstation did not answer the request.',
}, {
  noSecret: 'このページにはアクセスキーがありません。ワークステーション起動時に表示されたリンクを開いてください。',
  unreachable: 'ワークステーションが応答しません。起動中か確認してください。',
  badAnswer: 'ワークステーションから解釈できない応答がありました（HTTP {status}）。ページを再読み込みしてください。',
  noAnswer: 'ワークステーションが要求に応答しませんでした。',
});
