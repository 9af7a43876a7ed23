import { defineMessages } from '../i18n';

export const t = defineMessages('stills', {
  sendPhoto: 'Send a photo',
  sendPhotoHint: 'Pick a photo of your bill from your gallery or files',
  sendingCamera: 'Sending a sharp photo to the agent… {pct}%',
  sendingFile: 'Sending your photo… {pct}%',
  sent: 'Photo sent ({w}×{h})',
  failed: 'The photo could not be sent ({error}). Please try again.',
  unreadable: 'That file is not a picture we can read.',
  noVideoTitle: 'Video cannot get through on this network',
  noVideoBody: 'You can still send the agent a photo; it goes over your normal connection.',
}, {
  sendPhoto: '写真を送る',
  sendPhotoHint: 'ギャラリーやファイルから請求書の写真を選んでください',
  sendingCamera: '鮮明な写真を担当者に送信しています… {pct}%',
  sendingFile: '写真を送信しています… {pct}%',
  sent: '写真を送信しました（{w}×{h}）',
  failed: '写真を送信できませんでした（{error}）。もう一度お試しください。',
  unreadable: 'このファイルは読み取れる画像ではありません。',
  noVideoTitle: 'このネットワークでは映像を送れません',
  noVideoBody: '写真なら担当者に送れます。通常の接続で送信されます。',
});
