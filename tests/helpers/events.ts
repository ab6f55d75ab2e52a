/**
 * Lambda@Edge events shaped like the examples in AWS's "Lambda@Edge event structure" documentation: a
 * `config` with the event type, `clientIp`, headers keyed by lower-case name holding `[{ key, value }]`, and
 * for origin events the S3 origin (`domainName`, `region`, `authMethod`, `path`, `customHeaders`).
 */
import type { CloudFrontHeaders, CloudFrontRequestEvent, CloudFrontResponseEvent } from 'aws-lambda';
import { headers } from '../../shared/cloudfront';

const CONFIG = { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE' };

export function viewerRequestEvent(
  uri: string,
  querystring = '',
  extraHeaders: Record<string, string> = {},
): CloudFrontRequestEvent {
  return {
    Records: [
      {
        cf: {
          config: {
            ...CONFIG,
            eventType: 'viewer-request',
            requestId: 'MRVMF7KydIvxMWfJIglgwHQwZsbG2IhRJ07sn9AkKUFSHS9EXAMPLE==',
          },
          request: {
            clientIp: '203.0.113.178',
            headers: headers({
              Host: 'd111111abcdef8.cloudfront.net',
              'User-Agent': 'curl/8.4.0',
              Accept: '*/*',
              ...extraHeaders,
            }),
            method: 'GET',
            querystring,
            uri,
          },
        },
      },
    ],
  };
}

export interface OriginResponseOptions {
  status: string;
  domainName?: string;
  region?: string;
  originPath?: string;
  responseHeaders?: CloudFrontHeaders;
}

/** S3's answer for a missing key as CloudFront hands it to origin-response (the body is not visible). */
export function originResponseEvent(uri: string, options: OriginResponseOptions): CloudFrontResponseEvent {
  const status = options.status;
  return {
    Records: [
      {
        cf: {
          config: {
            ...CONFIG,
            eventType: 'origin-response',
            requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request: {
            clientIp: '203.0.113.178',
            headers: headers({
              Host: options.domainName ?? 'photos.s3.us-east-1.amazonaws.com',
              'User-Agent': 'Amazon CloudFront',
              Via: '2.0 8f22423015641505b8c857a37450d6c0.cloudfront.net (CloudFront)',
              'X-Forwarded-For': '203.0.113.178',
            }),
            method: 'GET',
            origin: {
              s3: {
                authMethod: 'origin-access-identity',
                customHeaders: {},
                domainName: options.domainName ?? 'photos.s3.us-east-1.amazonaws.com',
                path: options.originPath ?? '',
                region: options.region ?? 'us-east-1',
              },
            },
            querystring: '',
            uri,
          },
          response: {
            headers: options.responseHeaders ?? {
              ...headers({
                'Content-Type': 'application/xml',
                Date: 'Mon, 23 Nov 2026 19:00:00 GMT',
                Server: 'AmazonS3',
                'X-Amz-Request-Id': 'EXAMPLE123456789',
              }),
              'transfer-encoding': [{ key: 'Transfer-Encoding', value: 'chunked' }],
              via: [{ key: 'Via', value: '1.1 8f22423015641505b8c857a37450d6c0.cloudfront.net (CloudFront)' }],
            },
            status,
            statusDescription: status === '404' ? 'Not Found' : status === '403' ? 'Forbidden' : 'OK',
          },
        },
      },
    ],
  };
}
