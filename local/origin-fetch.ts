/**
 * CloudFront's origin fetch: a plain HTTP GET of the cache key's URI from the S3 endpoint (path-style, since
 * s3rver has no bucket host names), keeping S3's status, reason phrase, headers (with their case) and body.
 */
import type { CloudFrontRequest } from 'aws-lambda';
import { Agent, request as httpRequest } from 'node:http';
import type { OriginAnswer } from './edge-events';

export interface OriginFetched extends OriginAnswer {
  body: Buffer;
  ms: number;
}

/** CloudFront's default origin response timeout. */
const ORIGIN_TIMEOUT_MS = 30_000;

export class OriginFetcher {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(
    private readonly endpoint: string,
    private readonly bucket: string,
  ) {}

  /** GETs `request.uri`, forwarding the headers CloudFront sends to an S3 origin (not the viewer's). */
  fetch(request: CloudFrontRequest): Promise<OriginFetched> {
    const started = performance.now();
    const url = new URL(this.endpoint);
    const headers: [string, string][] = [];
    for (const [name, list] of Object.entries(request.headers)) {
      // s3rver routes on its own host name, so the S3 domain in `Host` stays in the event only.
      if (name === 'host') continue;
      for (const { key, value } of list) headers.push([key ?? name, value]);
    }
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          agent: this.agent,
          host: url.hostname,
          port: url.port,
          method: 'GET',
          path: `/${this.bucket}${request.uri}`,
          headers: Object.fromEntries(headers),
          timeout: ORIGIN_TIMEOUT_MS,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 502,
              statusText: incoming.statusMessage ?? '',
              rawHeaders: incoming.rawHeaders,
              body: Buffer.concat(chunks),
              ms: Math.round(performance.now() - started),
            }),
          );
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`the origin did not answer within ${ORIGIN_TIMEOUT_MS} ms`)),
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
