/**
 * Structured logs in the shape AWS Lambda Powertools' Logger writes (level, message, timestamp, service, then
 * keys): one JSON object per line, one line per event, so CloudWatch Logs Insights can query every field.
 * Hand-written because the viewer-request bundle must stay tiny, and because it writes a line on every request:
 * the line is built as text (see `quote` and `timestamp`), cheaper than `JSON.stringify` on an object.
 */
import { boundedMemo } from './bounded-memo';

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export type LogFields = Record<string, string | number | boolean | undefined | null>;

/** Where lines go; tests and the local stack may swap it. */
let logSink: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

export function setLogSink(sink: (line: string) => void): void {
  logSink = sink;
}

/** String values longer than this many characters are cut, and marked as cut: most of them come from the request. */
export const MAX_FIELD_CHARS = 256;
/** No line is longer than this many bytes, whatever the request: fields that would pass it are left out, counted. */
export const MAX_LINE_BYTES = 2048;
/** Room kept for `,"fieldsDropped":N}`. */
const LINE_RESERVE = 32;

/** Field names are written as they stand: they are identifiers in our code (`requestId`, `s3GetMs`), never data. */
export function log(level: LogLevel, service: string, message: string, fields: LogFields = {}): void {
  let line =
    `{"level":"${level}","message":${quoteName(message)},"timestamp":"${timestamp()}"` +
    `,"service":${quoteName(service)}`;
  let dropped = 0;
  for (const name in fields) {
    const value = fields[name];
    // As JSON.stringify does: an undefined field is left out.
    if (value === undefined) continue;
    const piece = `,"${name}":${typeof value === 'string' ? quote(capped(value)) : JSON.stringify(value)}`;
    // Characters count bytes for ASCII; only a line that might be near the limit is measured in UTF-8.
    const room = MAX_LINE_BYTES - LINE_RESERVE;
    if (line.length + piece.length * 3 > room && Buffer.byteLength(line) + Buffer.byteLength(piece) > room) dropped++;
    else line += piece;
  }
  logSink(dropped ? `${line},"fieldsDropped":${dropped}}` : `${line}}`);
}

/** `text`, or its first MAX_FIELD_CHARS characters marked as cut, with the length it had. */
export function capped(text: string): string {
  if (text.length <= MAX_FIELD_CHARS) return text;
  // Never split a surrogate pair.
  const end = MAX_FIELD_CHARS - (/[\ud800-\udbff]/.test(text[MAX_FIELD_CHARS - 1] ?? '') ? 1 : 0);
  return `${text.slice(0, end)}...[cut, ${text.length} characters]`;
}

/** Printable ASCII but `"` and `\`: a JSON string as it stands. URIs, request ids and our messages all are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The JSON string for `text`: quoted as it is when nothing needs escaping, else by JSON.stringify. */
function quote(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/**
 * `quote` for messages and service names, which are constants in our code: each is tested once, then looked up.
 * Bounded, should a caller ever pass text it builds.
 */
const quoteName = /* @__PURE__ */ boundedMemo(64, (text: string) => quote(capped(text)));

let second = Number.NaN;
let secondPrefix = '';

/**
 * `new Date().toISOString()`, with the part up to the second formatted once per second: back-to-back requests
 * (a busy function) pay a subtraction instead of a date formatting; a lone request pays what toISOString costs.
 */
function timestamp(): string {
  const now = Date.now();
  const ms = now % 1000;
  if (now - ms !== second) {
    second = now - ms;
    secondPrefix = new Date(second).toISOString().slice(0, 20); // 2026-12-01T21:05:28.
  }
  return `${secondPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

/** The one-line description of an unexpected error, for a log field. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
