/**
 * The data-channel message layer: one channel, many namespaces.
 *
 * Text messages are JSON envelopes `{ns, v, msg}`; each namespace registers a
 * zod schema and a handler, and every inbound message is size-checked,
 * parsed and validated before its handler sees it. Bad input is dropped and
 * reported through `onError` with a typed code — it never throws into the
 * peer. Binary frames carry chunked transfers (stills):
 *
 *   byte 0      0xB1 (frame marker + format version 1)
 *   byte 1      n = namespace length (1..32, ASCII)
 *   2..2+n      namespace
 *   +0  u32 BE  transferId
 *   +4  u32 BE  seq (0-based)
 *   +8  u32 BE  total chunks
 *   +12 ...     payload
 *
 * Usage (the only thing a capability needs):
 *
 *   const off = messenger.register('annotation', AnnotationMsg, (msg) => draw(msg));
 *   messenger.send('annotation', { kind: 'clear' });
 *   messenger.registerBinary('stills', (f) => assembler.push(f));
 *
 * The messenger outlives peers: the session attaches each new peer (after a
 * reconnect) to the same messenger, so registrations survive recovery.
 */
import type * as z from 'zod/mini';

export const DEFAULT_MAX_TEXT_BYTES = 64 * 1024;
/** Chromium's SCTP message cap is 256 KiB; stay well under it so every browser delivers chunks whole. */
export const DEFAULT_MAX_BINARY_BYTES = 64 * 1024;
export const BINARY_MARKER = 0xb1;
const BINARY_HEADER_FIXED = 2 + 12;
const NS_RE = /^[a-z][a-z0-9_-]{0,31}$/;

export type DataChannelErrorCode =
  | 'too_large'
  | 'bad_json'
  | 'bad_envelope'
  | 'unknown_namespace'
  | 'unsupported_version'
  | 'invalid_message'
  | 'bad_binary_frame'
  | 'handler_failed'
  | 'not_connected';

export interface DataChannelError {
  code: DataChannelErrorCode;
  message: string;
  ns?: string;
  direction: 'in' | 'out';
}

export type SendResult = { ok: true } | { ok: false; error: DataChannelError };

export interface BinaryFrame { ns: string; transferId: number; seq: number; total: number; payload: Uint8Array }

/** What the messenger needs from a peer. */
export interface Transport {
  send(data: string | Uint8Array): boolean;
  bufferedAmount?(): number;
}

export interface MessengerOptions {
  maxTextBytes?: number;
  maxBinaryBytes?: number;
}

/** Any zod schema, classic or mini (both parse alike; the protocol modules use mini). */
type Schema = z.core.$ZodType & { safeParse(data: unknown): { success: true; data: unknown } | { success: false; error: z.core.$ZodError } };

interface TextReg { schema: Schema; v: number; handler?: (msg: unknown) => void }

export interface Messenger {
  /** Register a namespace: its schema validates both what we send and what we receive. Returns unregister. */
  register<S extends Schema>(ns: string, schema: S, handler?: (msg: z.output<S>) => void, opts?: { v?: number }): () => void;
  registerBinary(ns: string, handler: (frame: BinaryFrame) => void): () => void;
  send<S extends Schema = Schema>(ns: string, msg: z.input<S>): SendResult;
  sendBinary(ns: string, frame: { transferId: number; seq: number; total: number; payload: Uint8Array }): SendResult;
  /** Feed one raw inbound message (the session wires the peer's 'data' event here). */
  receive(raw: string | Uint8Array | ArrayBuffer): void;
  onError(fn: (err: DataChannelError) => void): () => void;
  /** Called with true when a peer's channel opens, false when it goes away. */
  onOpenChange(fn: (open: boolean) => void): () => void;
  isOpen(): boolean;
  attach(t: Transport): void;
  detach(): void;
  bufferedAmount(): number;
  readonly maxBinaryPayload: number;
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8', { fatal: true });

export function encodeBinaryFrame(ns: string, f: { transferId: number; seq: number; total: number; payload: Uint8Array }): Uint8Array {
  const nsb = utf8.encode(ns);
  const out = new Uint8Array(BINARY_HEADER_FIXED + nsb.length + f.payload.length);
  out[0] = BINARY_MARKER;
  out[1] = nsb.length;
  out.set(nsb, 2);
  const dv = new DataView(out.buffer, 2 + nsb.length, 12);
  dv.setUint32(0, f.transferId >>> 0);
  dv.setUint32(4, f.seq >>> 0);
  dv.setUint32(8, f.total >>> 0);
  out.set(f.payload, BINARY_HEADER_FIXED + nsb.length);
  return out;
}

export function decodeBinaryFrame(b: Uint8Array): BinaryFrame | string {
  if (b.length < BINARY_HEADER_FIXED + 1) return 'frame shorter than its header';
  if (b[0] !== BINARY_MARKER) return 'unknown binary frame marker';
  const n = b[1]!;
  if (n < 1 || n > 32 || b.length < BINARY_HEADER_FIXED + n) return 'bad namespace length';
  let ns: string;
  try { ns = utf8d.decode(b.subarray(2, 2 + n)); } catch { return 'namespace is not UTF-8'; }
  if (!NS_RE.test(ns)) return 'bad namespace';
  const dv = new DataView(b.buffer, b.byteOffset + 2 + n, 12);
  const transferId = dv.getUint32(0), seq = dv.getUint32(4), total = dv.getUint32(8);
  if (total < 1 || seq >= total) return `chunk ${seq} outside 0..${total - 1}`;
  return { ns, transferId, seq, total, payload: b.subarray(BINARY_HEADER_FIXED + n) };
}

export function createMessenger(opts: MessengerOptions = {}): Messenger {
  const maxText = opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const maxBinary = opts.maxBinaryBytes ?? DEFAULT_MAX_BINARY_BYTES;
  const text = new Map<string, TextReg>();
  const binary = new Map<string, (f: BinaryFrame) => void>();
  const errorFns = new Set<(e: DataChannelError) => void>();
  const openFns = new Set<(o: boolean) => void>();
  let transport: Transport | null = null;
  let open = false;

  const report = (e: DataChannelError) => {
    if (errorFns.size === 0) console.warn(`data channel ${e.direction} ${e.code}${e.ns ? ` [${e.ns}]` : ''}: ${e.message}`);
    for (const fn of errorFns) { try { fn(e); } catch { /* a broken reporter must not break the channel */ } }
  };
  const fail = (code: DataChannelErrorCode, message: string, direction: 'in' | 'out', ns?: string): SendResult => {
    const error: DataChannelError = ns === undefined ? { code, message, direction } : { code, message, direction, ns };
    report(error);
    return { ok: false, error };
  };
  const setOpen = (o: boolean) => {
    if (o === open) return;
    open = o;
    for (const fn of openFns) { try { fn(o); } catch (err) { console.error(err); } }
  };
  const checkNs = (ns: string) => { if (!NS_RE.test(ns)) throw new Error(`namespace "${ns}" must match ${NS_RE}`); };

  return {
    maxBinaryPayload: maxBinary - BINARY_HEADER_FIXED - 32,
    register(ns, schema, handler, o) {
      checkNs(ns);
      if (text.has(ns)) throw new Error(`namespace "${ns}" is already registered`);
      const reg: TextReg = { schema, v: o?.v ?? 1, ...(handler ? { handler: handler as (m: unknown) => void } : {}) };
      text.set(ns, reg);
      return () => { if (text.get(ns) === reg) text.delete(ns); };
    },
    registerBinary(ns, handler) {
      checkNs(ns);
      if (binary.has(ns)) throw new Error(`binary namespace "${ns}" is already registered`);
      binary.set(ns, handler);
      return () => { if (binary.get(ns) === handler) binary.delete(ns); };
    },
    send(ns, msg) {
      const reg = text.get(ns);
      if (!reg) return fail('unknown_namespace', `namespace "${ns}" is not registered`, 'out', ns);
      const r = reg.schema.safeParse(msg);
      if (!r.success) return fail('invalid_message', issueText(r.error), 'out', ns);
      const s = JSON.stringify({ ns, v: reg.v, msg: r.data });
      if (utf8.encode(s).length > maxText) return fail('too_large', `message exceeds ${maxText} bytes`, 'out', ns);
      if (!transport || !open || !transport.send(s)) return fail('not_connected', 'data channel is not open', 'out', ns);
      return { ok: true };
    },
    sendBinary(ns, f) {
      if (!binary.has(ns) && !text.has(ns)) return fail('unknown_namespace', `namespace "${ns}" is not registered`, 'out', ns);
      const bytes = encodeBinaryFrame(ns, f);
      if (bytes.length > maxBinary) return fail('too_large', `binary frame exceeds ${maxBinary} bytes`, 'out', ns);
      if (!transport || !open || !transport.send(bytes)) return fail('not_connected', 'data channel is not open', 'out', ns);
      return { ok: true };
    },
    receive(raw) {
      if (typeof raw === 'string') {
        // UTF-16 length is a cheap upper bound guard before measuring real bytes.
        if (raw.length > maxText || utf8.encode(raw).length > maxText) { fail('too_large', `message exceeds ${maxText} bytes`, 'in'); return; }
        let env: unknown;
        try { env = JSON.parse(raw); } catch { fail('bad_json', 'message is not valid JSON', 'in'); return; }
        if (!env || typeof env !== 'object' || Array.isArray(env)) { fail('bad_envelope', 'message is not an {ns, v, msg} envelope', 'in'); return; }
        const { ns, v, msg } = env as { ns?: unknown; v?: unknown; msg?: unknown };
        if (typeof ns !== 'string' || !NS_RE.test(ns) || typeof v !== 'number' || !('msg' in env)) { fail('bad_envelope', 'message is not an {ns, v, msg} envelope', 'in'); return; }
        const reg = text.get(ns);
        if (!reg) { fail('unknown_namespace', `namespace "${ns}" is not registered`, 'in', ns); return; }
        if (v !== reg.v) { fail('unsupported_version', `namespace "${ns}" speaks v${reg.v}, got v${v}`, 'in', ns); return; }
        const r = reg.schema.safeParse(msg);
        if (!r.success) { fail('invalid_message', issueText(r.error), 'in', ns); return; }
        if (!reg.handler) return;
        try { reg.handler(r.data); } catch (err) { fail('handler_failed', (err as Error)?.message ?? String(err), 'in', ns); }
        return;
      }
      const b = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
      if (b.length > maxBinary) { fail('too_large', `binary frame exceeds ${maxBinary} bytes`, 'in'); return; }
      const f = decodeBinaryFrame(b);
      if (typeof f === 'string') { fail('bad_binary_frame', f, 'in'); return; }
      const h = binary.get(f.ns);
      if (!h) { fail('unknown_namespace', `binary namespace "${f.ns}" is not registered`, 'in', f.ns); return; }
      try { h(f); } catch (err) { fail('handler_failed', (err as Error)?.message ?? String(err), 'in', f.ns); }
    },
    onError(fn) { errorFns.add(fn); return () => { errorFns.delete(fn); }; },
    onOpenChange(fn) { openFns.add(fn); return () => { openFns.delete(fn); }; },
    isOpen: () => open,
    attach(t) { transport = t; setOpen(true); },
    detach() { transport = null; setOpen(false); },
    bufferedAmount: () => transport?.bufferedAmount?.() ?? 0,
  };
}

function issueText(err: z.core.$ZodError): string {
  const first = err.issues[0];
  return first ? `${first.path.join('.') || 'msg'}: ${first.message}` : 'invalid message';
}
