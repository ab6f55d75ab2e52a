/**
 * shared/log.ts builds its JSON line as text for speed: every line must still be exactly what JSON.stringify of
 * the same object in Powertools' key order gives, whatever the strings hold.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, setLogSink, type LogFields } from '../../shared/log';

function lineOf(message: string, fields?: LogFields, service = 'edge-resize-test'): string {
  let line = '';
  setLogSink((written) => { line = written; });
  log('INFO', service, message, fields);
  return line;
}

afterEach(() => vi.useRealTimers());

describe('log', () => {
  const awkward = [
    'plain', '', 'a "quoted" word', 'back\\slash', 'tab\tnew\nline', 'unit\u001fseparator', '\u0000\u001f\u007f', 'café ☕', '😀',
    '\ud800 lone surrogate', '/img.jpg?width=200&style=bw', '</script>',
  ];

  it.each(awkward)('writes %j exactly as JSON.stringify would, in Powertools\' key order', (text) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T21:05:28.007Z'));
    const fields = { requestId: 'abc==', uri: text, count: 3, ratio: 0.5, ok: true, none: null, missing: undefined };
    const line = lineOf(text, fields, text);
    const expected = JSON.stringify({ level: 'INFO', message: text, timestamp: '2026-12-01T21:05:28.007Z', service: text, ...fields });
    expect(line).toBe(expected);
  });

  it('writes the timestamp of the moment of the call, also across second, minute and year boundaries', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const moment of ['2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.010Z', '2027-01-01T00:00:00.100Z', '2027-01-01T00:00:01.001Z', '2026-12-31T23:59:59.999Z']) {
      vi.setSystemTime(new Date(moment));
      expect((JSON.parse(lineOf('tick')) as { timestamp: string }).timestamp).toBe(moment);
    }
  });

  it('writes numbers JSON.stringify cannot (NaN, Infinity) as null, as it does', () => {
    expect(JSON.parse(lineOf('odd numbers', { a: Number.NaN, b: Number.POSITIVE_INFINITY }))).toMatchObject({ a: null, b: null });
  });
});
