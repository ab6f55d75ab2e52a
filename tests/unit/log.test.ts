/**
 * shared/log.ts builds its JSON line as text for speed: every line must still be exactly what JSON.stringify of
 * the same object in Powertools' key order gives, whatever the strings hold.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { resolveConfig } from '../../shared/config';
import { capped, log, MAX_FIELD_CHARS, MAX_LINE_BYTES, setLogSink, type LogFields } from '../../shared/log';
import { createViewerRequestHandler } from '../../viewer-request/handler';
import { viewerRequestEvent } from '../helpers/events';

function lineOf(message: string, fields?: LogFields, service = 'edge-resize-test'): string {
  let line = '';
  setLogSink((written) => {
    line = written;
  });
  log('INFO', service, message, fields);
  return line;
}

afterEach(() => vi.useRealTimers());

describe('log', () => {
  const awkward = [
    'plain',
    '',
    'a "quoted" word',
    'back\\slash',
    'tab\tnew\nline',
    'unit\u001fseparator',
    '\u0000\u001f\u007f',
    'café ☕',
    '😀',
    '\ud800 lone surrogate',
    '/img.jpg?width=200&style=bw',
    '</script>',
  ];

  it.each(awkward)("writes %j exactly as JSON.stringify would, in Powertools' key order", (text) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T21:05:28.007Z'));
    const fields = { requestId: 'abc==', uri: text, count: 3, ratio: 0.5, ok: true, none: null, missing: undefined };
    const line = lineOf(text, fields, text);
    const expected = JSON.stringify({
      level: 'INFO',
      message: text,
      timestamp: '2026-12-01T21:05:28.007Z',
      service: text,
      ...fields,
    });
    expect(line).toBe(expected);
  });

  it('writes the timestamp of the moment of the call, also across second, minute and year boundaries', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const moment of [
      '2026-12-31T23:59:59.999Z',
      '2027-01-01T00:00:00.000Z',
      '2027-01-01T00:00:00.010Z',
      '2027-01-01T00:00:00.100Z',
      '2027-01-01T00:00:01.001Z',
      '2026-12-31T23:59:59.999Z',
    ]) {
      vi.setSystemTime(new Date(moment));
      expect((JSON.parse(lineOf('tick')) as { timestamp: string }).timestamp).toBe(moment);
    }
  });

  it('writes numbers JSON.stringify cannot (NaN, Infinity) as null, as it does', () => {
    expect(JSON.parse(lineOf('odd numbers', { a: Number.NaN, b: Number.POSITIVE_INFINITY }))).toMatchObject({
      a: null,
      b: null,
    });
  });
});

describe('bounded lines', () => {
  it('cuts a string field over MAX_FIELD_CHARS characters, marking it with the length it had', () => {
    const long = 'x'.repeat(MAX_FIELD_CHARS + 1000);
    const written = JSON.parse(lineOf('long', { querystring: long, short: 'kept' })) as Record<string, string>;
    expect(written.querystring).toBe(`${'x'.repeat(MAX_FIELD_CHARS)}...[cut, ${long.length} characters]`);
    expect(written.short).toBe('kept');
    expect(capped('y'.repeat(MAX_FIELD_CHARS))).toBe('y'.repeat(MAX_FIELD_CHARS));
  });

  it('never splits a surrogate pair when cutting', () => {
    const cut = capped(`${'a'.repeat(MAX_FIELD_CHARS - 1)}😀😀`);
    expect(cut.startsWith(`${'a'.repeat(MAX_FIELD_CHARS - 1)}...`)).toBe(true);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('keeps every line within MAX_LINE_BYTES and valid JSON, whatever the fields hold', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 3000 });
    const value = fc.oneof(
      text,
      fc.string({ unit: 'binary', maxLength: 3000 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const fieldSets = fc.dictionary(fc.stringMatching(/^[a-z][A-Za-z]{0,15}$/), value, { maxKeys: 20 });
    fc.assert(
      fc.property(fieldSets, text, (fields, message) => {
        const line = lineOf(message, fields);
        expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
        const parsed = JSON.parse(line) as Record<string, unknown>;
        const written = Object.keys(fields).filter((name) => name in parsed).length;
        expect(written + ((parsed.fieldsDropped as number | undefined) ?? 0)).toBe(Object.keys(fields).length);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it("the viewer-request's line for an 8,100-character query and 16 KB headers stays within bounds", async () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    const handler = createViewerRequestHandler(resolveConfig());
    const querystring = `width=200&utm=${'a'.repeat(8100 - 'width=200&utm='.length)}`;
    expect(querystring).toHaveLength(8100);
    const big = {
      'User-Agent': `Mozilla/5.0 ${'(x; '.repeat(4096)}`,
      Accept: `image/webp,${'*/*;q=0.1,'.repeat(1640)}`,
    };
    await handler(viewerRequestEvent('/grey.jpg', querystring, big));
    await handler(viewerRequestEvent('/grey.jpg', `utm=${'%22'.repeat(2700)}`, big));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
      const parsed = JSON.parse(line) as { querystring: string };
      expect(parsed.querystring).toMatch(/\.\.\.\[cut, 8\d{3} characters\]$/);
    }
  });
});
