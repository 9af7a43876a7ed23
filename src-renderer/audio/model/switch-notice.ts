/**
 * What the agent is told when devices came or went mid-shift (pure). A
 * headset carries both the microphone and the sound, so when both moved in
 * one go that is one notice, not two that replace each other. The ringer
 * moving alone does not interrupt the agent (the device picker shows it).
 */
export interface MovedPart { kind: 'input' | 'output' | 'ringer'; via: string; at: number }
export type NoticeVia = 'chosen' | 'recent' | 'default';
export interface SwitchNotice { what: 'mic' | 'speaker' | 'headset'; via: NoticeVia; at: number }

const RANK: Record<NoticeVia, number> = { default: 0, recent: 1, chosen: 2 };
const asVia = (v: string): NoticeVia => (v === 'chosen' || v === 'recent' ? v : 'default');

export function noticeFor(moved: readonly MovedPart[]): SwitchNotice | null {
  const input = moved.find((m) => m.kind === 'input');
  const output = moved.find((m) => m.kind === 'output');
  const parts = [input, output].filter((m): m is MovedPart => !!m);
  if (!parts.length) return null;
  // If only part of the headset came back, say where the rest went (the less good of the two).
  const via = parts.map((m) => asVia(m.via)).sort((a, b) => RANK[a] - RANK[b])[0]!;
  return { what: input && output ? 'headset' : input ? 'mic' : 'speaker', via, at: Math.max(...parts.map((m) => m.at)) };
}
