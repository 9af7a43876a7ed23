import { defineMessages } from '../i18n';

export const t = defineMessages('survey', {
  question: 'How well did we help you?',
  scoreLabel: '{score} of 5',
  low: 'Not at all',
  high: 'Very well',
  commentLabel: 'Anything to add? (optional)',
  send: 'Send',
  thanks: 'Thank you for your feedback.',
  failed: 'Your answer could not be sent.',
}, {
  question: '今回のサポートはいかがでしたか？',
  scoreLabel: '5 段階中 {score}',
  low: 'まったく役に立たなかった',
  high: 'とても役に立った',
  commentLabel: 'ご意見があればお聞かせください（任意）',
  send: '送信',
  thanks: 'ご回答ありがとうございました。',
  failed: '回答を送信できませんでした。',
});
