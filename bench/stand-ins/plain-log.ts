/**
 * Not shipped: shared/log.ts's `log` with its line built the plainest way, by JSON.stringify on the object
 * (the same fields in the same order, so the same line), for the bench to weigh the hand-built line's bytes
 * (bench/viewer-bundle.ts). The hand-built line is there for speed: see shared/log.ts.
 */
import type { LogFields, LogLevel } from '../../shared/log';

export { errorText } from '../../shared/log';

export function log(level: LogLevel, service: string, message: string, fields: LogFields = {}): void {
  process.stdout.write(`${JSON.stringify({ level, message, timestamp: new Date().toISOString(), service, ...fields })}\n`);
}
