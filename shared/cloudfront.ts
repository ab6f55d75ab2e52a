/**
 * CloudFront's event and response shapes, as the Lambda@Edge documentation gives them: header maps keyed by
 * the lower-case name holding `[{ key, value }]`, `status` as a string.
 */
import type { CloudFrontHeaders, CloudFrontResultResponse } from 'aws-lambda';

/** Reason phrases for the statuses we generate. */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  302: 'Found',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Viewer-request generated responses are capped at 40 KB; reasons are one line, far below it. */
const MAX_REASON_LENGTH = 300;

/** Builds a header map from `{ 'Content-Type': 'text/plain' }`, keeping the given case in `key`. */
export function headers(values: Record<string, string>): CloudFrontHeaders {
  const result: CloudFrontHeaders = {};
  for (const [key, value] of Object.entries(values)) result[key.toLowerCase()] = [{ key, value }];
  return result;
}

/** First value of a header, by lower-case name. */
export function headerValue(map: CloudFrontHeaders | undefined, name: string): string | undefined {
  return map?.[name]?.[0]?.value;
}

/** A plain-text response with a one-line reason, for errors. */
export function textResponse(status: number, reason: string, cacheControl: string): CloudFrontResultResponse {
  const line = reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
  return {
    status: String(status),
    statusDescription: STATUS_TEXT[status] ?? '',
    headers: headers({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': cacheControl }),
    body: `${line}\n`,
    bodyEncoding: 'text',
  };
}

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}
