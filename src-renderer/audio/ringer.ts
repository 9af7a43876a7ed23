/**
 * The ring of an offered contact, on its own device: an <audio> element fed
 * by a Web Audio ring tone (440 + 480 Hz, 2 s on / 4 s off, the North
 * American ring cadence) whose output is set with setSinkId to the ringer
 * device, apart from the call's speaker/headset. The element stays in the
 * document (hidden) so the page and tests can see where and whether it rings.
 */
type SinkElement = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string };

const ON_MS = 2000;
const CYCLE_MS = 6000;

export class Ringer {
  readonly element: SinkElement;
  private ctx: AudioContext | null = null;
  private gain: GainNode | null = null;
  private cadence: ReturnType<typeof setInterval> | null = null;
  private wanted: string | null = null;

  constructor(doc: Document = document) {
    this.element = doc.createElement('audio') as SinkElement;
    this.element.dataset.testid = 'ringer-audio';
    this.element.hidden = true;
    doc.body.appendChild(this.element);
  }

  get ringing(): boolean { return this.cadence !== null; }
  /** The device the ring plays on ('' for the system default). */
  get sinkId(): string { return this.element.sinkId ?? ''; }

  /** Route the ring to a device (null: system default). False if the device refused (gone): the caller falls back. */
  async setSink(id: string | null): Promise<boolean> {
    this.wanted = id;
    if (typeof this.element.setSinkId !== 'function') return id === null;
    try {
      await this.element.setSinkId(id ?? '');
      return true;
    } catch (err) {
      console.warn('ringer setSinkId failed', (err as Error).message);
      if (id !== null && this.wanted === id) await this.element.setSinkId('').catch(() => {});
      return false;
    }
  }

  start(): void {
    if (this.cadence) return;
    const ctx = this.ctx ?? new AudioContext();
    this.ctx = ctx;
    const dest = ctx.createMediaStreamDestination();
    const gain = ctx.createGain();
    gain.gain.value = 0;
    for (const hz of [440, 480]) {
      const o = ctx.createOscillator();
      o.frequency.value = hz;
      o.connect(gain);
      o.start();
    }
    gain.connect(dest);
    this.gain = gain;
    this.element.srcObject = dest.stream;
    const ring = () => {
      const t = ctx.currentTime;
      gain.gain.setValueAtTime(0.12, t);
      gain.gain.setValueAtTime(0, t + ON_MS / 1000);
    };
    ring();
    this.cadence = setInterval(ring, CYCLE_MS);
    void ctx.resume().catch(() => {});
    void this.element.play().catch((err: Error) => console.warn('ringer play failed', err.message));
  }

  stop(): void {
    if (this.cadence) clearInterval(this.cadence);
    this.cadence = null;
    this.gain?.gain.cancelScheduledValues(0);
    if (this.gain) this.gain.gain.value = 0;
    this.element.pause();
    this.element.srcObject = null;
    void this.ctx?.close().catch(() => {});
    this.ctx = null;
    this.gain = null;
  }

  dispose(): void {
    this.stop();
    this.element.remove();
  }
}
