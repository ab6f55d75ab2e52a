/**
 * Lambda@Edge events built from live HTTP traffic, in the shapes of AWS's "Lambda@Edge event structure":
 * header maps keyed by lower-case name holding `[{ key, value }]` (key keeps the case the sender used),
 * `querystring` raw without the `?`, `uri` percent-encoded as the viewer sent it, `status` as a string.
 */
import type { CloudFrontHeaders, CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResponseEvent } from 'aws-lambda';
import { randomBytes } from 'node:crypto';

/** The emulated distribution, as `event.Records[0].cf.config` names it. */
export const DISTRIBUTION = {
  distributionDomainName: 'd1oca1example.cloudfront.net',
  distributionId: 'ELOCALSTACK0001',
};
/** The only region the local S3 pretends to be in (Lambda@Edge's home region). */
export const S3_REGION = 'us-east-1';
/** Stands in for the edge host name in `Via` and `X-Amz-Cf-Pop`. */
export const EDGE_HOST = '0123456789abcdef0123456789abcdef.cloudfront.net';

/** Headers that belong to one connection: CloudFront consumes them and never hands them to a function. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'transfer-encoding',
]);

/** A request id in the shape CloudFront uses (`X-Amz-Cf-Id`): 56 URL-safe base64 characters. */
export function newRequestId(): string {
  return randomBytes(42).toString('base64url');
}

/** Node's flat `rawHeaders` (`[name, value, name, value…]`) as a CloudFront header map. */
export function cloudFrontHeaders(
  rawHeaders: readonly string[],
  drop: ReadonlySet<string> = HOP_BY_HOP,
): CloudFrontHeaders {
  const result: CloudFrontHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const key = rawHeaders[i] as string;
    const name = key.toLowerCase();
    if (drop.has(name)) continue;
    (result[name] ??= []).push({ key, value: rawHeaders[i + 1] as string });
  }
  return result;
}

/** `/a/b.jpg?width=200` → `{ uri: '/a/b.jpg', querystring: 'width=200' }`, both left encoded as sent. */
export function splitTarget(target: string): { uri: string; querystring: string } {
  const mark = target.indexOf('?');
  return mark < 0
    ? { uri: target, querystring: '' }
    : { uri: target.slice(0, mark), querystring: target.slice(mark + 1) };
}

export interface ViewerRequestInput {
  requestId: string;
  method: string;
  /** The request target as the viewer sent it (`/a.jpg?width=200`). */
  target: string;
  rawHeaders: readonly string[];
  clientIp: string;
}

export function viewerRequestEvent(input: ViewerRequestInput): CloudFrontRequestEvent {
  const { uri, querystring } = splitTarget(input.target);
  return {
    Records: [
      {
        cf: {
          config: { ...DISTRIBUTION, eventType: 'viewer-request', requestId: input.requestId },
          request: {
            clientIp: input.clientIp,
            headers: cloudFrontHeaders(input.rawHeaders),
            method: input.method,
            querystring,
            uri,
          },
        },
      },
    ],
  };
}

/** The S3 origin as CloudFront describes it in origin events: a real-looking bucket domain in us-east-1. */
export function s3Origin(bucket: string): NonNullable<CloudFrontRequest['origin']> {
  return {
    s3: {
      // As a private bucket behind an origin access identity is set up (the region is only given then). The
      // emulator's fetch itself is unsigned: s3rver accepts any caller.
      authMethod: 'origin-access-identity',
      customHeaders: {},
      domainName: `${bucket}.s3.${S3_REGION}.amazonaws.com`,
      path: '',
      region: S3_REGION,
    },
  };
}

/** What CloudFront sends the origin: the cache key's URI, no query string, CloudFront's own headers. */
export function originRequest(uri: string, bucket: string, clientIp: string): CloudFrontRequest {
  const origin = s3Origin(bucket);
  const host = origin.s3!.domainName;
  return {
    clientIp,
    headers: {
      host: [{ key: 'Host', value: host }],
      'user-agent': [{ key: 'User-Agent', value: 'Amazon CloudFront' }],
      via: [{ key: 'Via', value: `2.0 ${EDGE_HOST} (CloudFront)` }],
      'x-forwarded-for': [{ key: 'X-Forwarded-For', value: clientIp }],
    },
    method: 'GET',
    origin,
    querystring: '',
    uri,
  };
}

export interface OriginAnswer {
  status: number;
  statusText: string;
  rawHeaders: readonly string[];
}

export function originResponseEvent(
  requestId: string,
  request: CloudFrontRequest,
  answer: OriginAnswer,
): CloudFrontResponseEvent {
  return {
    Records: [
      {
        cf: {
          config: { ...DISTRIBUTION, eventType: 'origin-response', requestId },
          request,
          response: {
            status: String(answer.status),
            statusDescription: answer.statusText,
            // Transfer-Encoding stays (read-only for the function); the connection's own headers do not.
            headers: cloudFrontHeaders(answer.rawHeaders, new Set(['connection', 'keep-alive'])),
          },
        },
      },
    ],
  };
}
