import { defineMessages } from '../i18n';
import type { Mode } from '../call/quality/modes';

/** What the customer is told when the call adapts to a weak connection (nothing in HD). */
export const tcq = defineMessages('customerQuality', {
  sd: 'Your connection is slower: the agent now sees your video in lower quality.',
  low: 'Your connection is weak: the agent sees a low-quality picture. Holding the camera still helps.',
  stills: 'Your connection is too weak for live video. Your voice goes on, and the agent can ask your phone for still pictures.',
  photo: 'Your connection is very weak. Your voice goes on; if the agent asks, take a photo and press “Send a photo”.',
  audio: 'Your connection is very weak: only your voice is sent now. The video comes back by itself when the connection improves.',
  pinned: 'The agent chose this setting.',
}, {
  sd: '通信が遅くなっています。担当者には画質を下げた映像が届いています。',
  low: '通信が弱くなっています。担当者には低画質の映像が届いています。カメラを動かさないと見やすくなります。',
  stills: '通信が弱いためライブ映像を止めています。音声は続いており、担当者がお使いの端末から静止画を撮ることができます。',
  photo: '通信がとても弱くなっています。音声は続いています。担当者に頼まれたら写真を撮って「写真を送る」を押してください。',
  audio: '通信がとても弱いため、今は音声だけを送っています。通信が回復すると映像は自動で戻ります。',
  pinned: '担当者がこの設定を選びました。',
});

export function qualityNotice(mode: Mode): string | null {
  return mode === 'hd' ? null : tcq(mode);
}
