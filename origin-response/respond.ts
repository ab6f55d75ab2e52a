/**
 * Building the origin-response answers within CloudFront's rules: lower-case header keys holding
 * `[{ key, value }]`, a string status, the read-only headers (`via`, `transfer-encoding`) left as they came,
 * no forbidden header added, and a generated response (base64 body plus headers) under the 1 MB cap.
 */
import type { CloudFrontHeaders, CloudFrontResponse, CloudFrontResultResponse } from 'aws-lambda';
import { headers, statusText, textResponse } from '../shared/cloudfront';

/** Headers CloudFront does not let origin-response change: they stay exactly as the origin's answer had them. */
const READ_ONLY = ['via', 'transfer-encoding'] as const;

/** `ours` plus the origin's read-only headers, untouched. Everything else of S3's error answer is dropped. */
function withReadOnly(origin: CloudFrontResponse, ours: CloudFrontHeaders): CloudFrontHeaders {
  const result = { ...ours };
  for (const name of READ_ONLY) {
    const value = origin.headers[name];
    if (value) result[name] = value;
  }
  return result;
}

/** Bytes CloudFront counts for a generated response: the body as sent (base64) plus every header line. */
export function generatedSize(response: CloudFrontResultResponse): number {
  let size = Buffer.byteLength(response.body ?? '');
  for (const list of Object.values(response.headers ?? {})) {
    for (const { key, value } of list) size += Buffer.byteLength(`${key ?? ''}: ${value}\r\n`);
  }
  return size;
}

/** The variant inline, or `undefined` when it would not fit under `maxBytes` (so the caller redirects). */
export function imageResponse(
  origin: CloudFrontResponse,
  image: { data: Buffer; contentType: string; cacheControl: string; vary: boolean },
  maxBytes: number,
): CloudFrontResultResponse | undefined {
  // Cheap early out before allocating a base64 string that cannot be sent anyway.
  if (Math.ceil(image.data.length / 3) * 4 > maxBytes) return undefined;
  const response: CloudFrontResultResponse = {
    status: '200',
    statusDescription: statusText(200),
    headers: withReadOnly(
      origin,
      headers({
        'Content-Type': image.contentType,
        'Cache-Control': image.cacheControl,
        ...(image.vary ? { Vary: 'Accept' } : {}),
      }),
    ),
    body: image.data.toString('base64'),
    bodyEncoding: 'base64',
  };
  return generatedSize(response) <= maxBytes ? response : undefined;
}

/**
 * For a variant too large to inline: it is stored, so send the viewer back to the same URI, which S3 now serves.
 * `private, no-store` keeps CloudFront and browsers from caching the redirect itself (that would loop).
 */
export function redirectToSelf(origin: CloudFrontResponse, uri: string): CloudFrontResultResponse {
  return {
    status: '302',
    statusDescription: statusText(302),
    headers: withReadOnly(
      origin,
      headers({ Location: uri, 'Cache-Control': 'private, no-store', 'Content-Type': 'text/plain; charset=utf-8' }),
    ),
    // Without a body of its own, CloudFront would send S3's 404 XML with the redirect.
    body: `The image is ready at ${uri}\n`,
    bodyEncoding: 'text',
  };
}

/** S3's own answer with `Vary: Accept` added (merged into any `Vary` it already had); nothing else changes. */
export function withVaryAccept(response: CloudFrontResponse): CloudFrontResponse {
  const existing = response.headers.vary?.[0]?.value;
  if (existing && /(^|,)\s*(accept|\*)\s*(,|$)/i.test(existing)) return response;
  const value = existing ? `${existing}, Accept` : 'Accept';
  return { ...response, headers: { ...response.headers, vary: [{ key: 'Vary', value }] } };
}

/** A one-line plain-text error, keeping the origin's read-only headers. */
export function errorResponse(
  origin: CloudFrontResponse,
  status: number,
  reason: string,
  cacheControl: string,
): CloudFrontResultResponse {
  const response = textResponse(status, reason, cacheControl);
  return { ...response, headers: withReadOnly(origin, response.headers ?? {}) };
}
