/**
 * CloudFront's rules for a generated response, as the Lambda@Edge documentation states them. The local stack's
 * emulator and the handler tests check every answer with this one function.
 */
import type { CloudFrontHeaders, CloudFrontResultResponse } from 'aws-lambda';

/** Headers a function may never add (CloudFront answers 502), by exact name or prefix. */
const FORBIDDEN = [
  'connection',
  'expect',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'trailer',
  'upgrade',
  'x-accel-',
  'x-amz-cf-',
  'x-cache',
  'x-edge-',
  'x-forwarded-proto',
  'x-real-ip',
];
/** Headers origin-response may not change: they must stay exactly as the origin sent them. */
const READ_ONLY_ORIGIN_RESPONSE = ['transfer-encoding', 'via'];

/**
 * CloudFront documents 40 KB and 1 MB; where KB and MB could mean 1,000 or 1,024 the stricter reading is taken,
 * so nothing that passes here can be refused there.
 */
export const LIMITS = { 'viewer-request': 40_000, 'origin-response': 1_000_000 } as const;

/** Every way `response` breaks CloudFront's rules; empty when it is fine. */
export function contractViolations(
  response: CloudFrontResultResponse,
  eventType: keyof typeof LIMITS,
  originHeaders: CloudFrontHeaders = {},
): string[] {
  const problems: string[] = [];
  if (typeof response.status !== 'string' || !/^[1-5][0-9][0-9]$/.test(response.status))
    problems.push(`status ${String(response.status)} is not a 3-digit string`);
  let size = 0;
  for (const [name, list] of Object.entries(response.headers ?? {})) {
    if (name !== name.toLowerCase()) problems.push(`header key ${name} is not lower-case`);
    if (!Array.isArray(list) || list.length === 0) problems.push(`header ${name} is not a non-empty array`);
    for (const entry of list ?? []) {
      if (typeof entry.value !== 'string') problems.push(`header ${name} has a non-string value`);
      if (entry.key !== undefined && entry.key.toLowerCase() !== name)
        problems.push(`header ${name} has key ${entry.key}`);
      size += Buffer.byteLength(`${entry.key ?? name}: ${entry.value}\r\n`);
    }
    if (FORBIDDEN.some((f) => (f.endsWith('-') ? name.startsWith(f) : name === f)))
      problems.push(`header ${name} is forbidden`);
  }
  if (eventType === 'origin-response') {
    for (const name of READ_ONLY_ORIGIN_RESPONSE) {
      if (JSON.stringify(response.headers?.[name]) !== JSON.stringify(originHeaders[name]))
        problems.push(`read-only header ${name} was changed`);
    }
  }
  if (response.body !== undefined) {
    if (response.bodyEncoding !== 'text' && response.bodyEncoding !== 'base64')
      problems.push('bodyEncoding is not text or base64');
    size += Buffer.byteLength(response.body);
  }
  if (size > LIMITS[eventType]) problems.push(`generated response is ${size} bytes, over ${LIMITS[eventType]}`);
  return problems;
}
