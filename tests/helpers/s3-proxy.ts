/**
 * An HTTP proxy in front of s3rver that counts the requests reaching S3 (by operation) and can run a test's step
 * before forwarding a request: what a test needs to measure a purge, or to land a write at an exact moment.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';

export interface ProxiedRequest {
  method: string;
  /** The path with its query, as sent (`/bucket/key?list-type=2&delimiter=%2F`). */
  url: string;
}

export interface S3Proxy {
  endpoint: string;
  requests: ProxiedRequest[];
  /** Runs (and is awaited) before each request is forwarded. */
  before: ((request: ProxiedRequest) => Promise<void>) | undefined;
  stop(): Promise<void>;
}

export async function startS3Proxy(target: string): Promise<S3Proxy> {
  const upstream = new URL(target);
  const proxy: S3Proxy = { endpoint: '', requests: [], before: undefined, stop: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/' };
    proxy.requests.push(seen);
    // Buffered, so a hook may run before any byte goes upstream.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      (proxy.before?.(seen) ?? Promise.resolve()).then(
        () => {
          const forward = httpRequest(
            {
              host: upstream.hostname,
              port: upstream.port,
              method: seen.method,
              path: seen.url,
              headers: req.headers,
            },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          forward.on('error', (error) => {
            res.writeHead(502).end(String(error));
          });
          forward.end(Buffer.concat(chunks));
        },
        (error: unknown) => {
          res.writeHead(500).end(String(error));
        },
      );
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  proxy.endpoint = `http://127.0.0.1:${port}`;
  proxy.stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** A request's S3 operation, from method and query: enough to tell a purge's calls apart. */
export function operation(request: ProxiedRequest): string {
  const [path, query = ''] = request.url.split('?');
  const params = new URLSearchParams(query);
  if (request.method === 'GET' && params.get('list-type') === '2') return 'ListObjectsV2';
  if (request.method === 'POST' && params.has('delete')) return 'DeleteObjects';
  const onKey = (path ?? '').split('/').filter(Boolean).length > 1;
  const names: Record<string, string> = {
    HEAD: 'HeadObject',
    GET: 'GetObject',
    PUT: 'PutObject',
    DELETE: 'DeleteObject',
  };
  return onKey ? (names[request.method] ?? request.method) : `${request.method} bucket`;
}
