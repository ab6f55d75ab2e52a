/**
 * Structured logs in the shape AWS Lambda Powertools' Logger writes (level, message, timestamp, service, then
 * keys): one JSON object per line, one line per event, so CloudWatch Logs Insights can query every field.
 * Hand-written because the viewer-request bundle must stay tiny.
 */
export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

export type LogFields = Record<string, string | number | boolean | undefined | null>;

/** Where lines go; tests and the local stack may swap it. */
let logSink: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

export function setLogSink(sink: (line: string) => void): void {
  logSink = sink;
}

export function log(level: LogLevel, service: string, message: string, fields: LogFields = {}): void {
  // The fixed keys written as text and the fields stringified as they are: no merged copy of the fields, since
  // the viewer-request writes one line on every request.
  const head = `{"level":"${level}","message":${JSON.stringify(message)},"timestamp":"${new Date().toISOString()}","service":${JSON.stringify(service)}`;
  const rest = JSON.stringify(fields);
  logSink(rest === '{}' ? `${head}}` : `${head},${rest.slice(1)}`);
}

/** The one-line description of an unexpected error, for a log field. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
