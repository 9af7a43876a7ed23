import { describe, expect, test } from 'vitest';
import { parseCliArgs, parseDuration } from '../../../signaling-server/cli-args';

describe('signaling CLI arguments', () => {
  test('no arguments starts a node on the defaults', () => {
    expect(parseCliArgs([])).toEqual({ ok: true, value: { command: 'serve' } });
  });

  test('--port, --host and --public-url (both spellings) are read', () => {
    expect(parseCliArgs(['--port', '0', '--host=0.0.0.0', '--public-url', 'https://assist.example.com/'])).toEqual({
      ok: true, value: { command: 'serve', port: 0, host: '0.0.0.0', publicUrl: 'https://assist.example.com' },
    });
  });

  test('token --agent ID --ttl 8h', () => {
    expect(parseCliArgs(['token', '--agent', 'agent-7', '--ttl', '8h'])).toEqual({ ok: true, value: { command: 'token', agent: 'agent-7', ttlSec: 28_800 } });
  });

  test.each([
    [['--port', 'abc'], /--port/],
    [['--port', '70000'], /--port/],
    [['--port'], /needs a value/],
    [['--public-url', 'ftp://x'], /public-url/],
    [['--nope', '1'], /unknown option --nope/],
    [['stray'], /unexpected argument/],
    [['token'], /--agent/],
    [['token', '--agent', 'a b'], /--agent/],
    [['token', '--agent', 'a', '--ttl', 'soon'], /--ttl/],
    [['token', '--agent', 'a', '--port', '1'], /unknown option --port for token/],
  ])('%j is refused with a clear message', (argv, re) => {
    const r = parseCliArgs(argv);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(re);
  });

  test('durations', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('2d')).toBe(172_800);
    expect(parseDuration('0h')).toBeUndefined();
    expect(parseDuration('-1h')).toBeUndefined();
  });
});
