/**
 * A real S3-compatible server (s3rver) on loopback, for the local stack and the tests. Everything talks to it
 * over HTTP through @aws-sdk/client-s3, exactly as the deployed functions talk to S3.
 *
 * s3rver sits behind a small HTTP front (the endpoint everyone is given) that adds two things S3 does and s3rver
 * does not: `+` in a URL path is read as a space, and `PutObject` with `If-None-Match: *` answers 412 when the
 * key exists, atomically (writes to one key are serialised, so of two concurrent conditional PUTs one wins).
 * It also keeps each bucket's notification configuration (`GET`/`PUT /{bucket}?notification`), which s3rver answers
 * with NotImplemented: the XML sent is stored as it came and returned, an empty configuration until one is set.
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
  type Server,
  type ServerResponse,
} from 'node:http';
import S3rver, { type S3rverEvent } from 's3rver';
import { foldCommonPrefixesAsS3Does } from './s3rver-listing';

/** s3rver's fixed credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Server {
  /** `http://127.0.0.1:PORT`: an IP, so the SDK uses path-style URLs rather than `bucket.localhost`. */
  endpoint: string;
  port: number;
  bucket: string;
  /** A client for the test or the seeder (not the handlers', which come from the standard environment). */
  client: S3Client;
  /**
   * Calls `listener` with the key of every object s3rver has just stored (PutObject, POST, copy), once the write
   * is on disk: what really reached the server, whatever the writer believed. Returns the unsubscribe function.
   */
  onObjectCreated(listener: (key: string) => void): () => void;
  /** Calls `listener` with each record s3rver emits (ObjectCreated:* and ObjectRemoved:Delete). */
  onObjectEvent(listener: (record: S3rverEvent['Records'][number]) => void): () => void;
  stop(): Promise<void>;
}

export async function startS3Server(options: { directory: string; bucket: string; port?: number }): Promise<S3Server> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket }],
  });
  foldCommonPrefixesAsS3Does(server.store);
  const backend = await server.run();
  const front = new S3Front(backend.port);
  let port: number;
  try {
    port = await front.listen(options.port ?? 0);
  } catch (error) {
    await server.close();
    throw error;
  }
  // Before the first client: the SDK's notice that its 2027 releases need Node 22 (see useS3Endpoint).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    // s3rver stores aws-chunked (streamed, checksummed) uploads corrupted; plain bodies are fine.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    port,
    bucket: options.bucket,
    client,
    onObjectCreated(listener) {
      const onEvent = (event: S3rverEvent) => {
        for (const record of event.Records)
          if (record.eventName.startsWith('ObjectCreated:')) listener(record.s3.object.key);
      };
      server.on('event', onEvent);
      return () => {
        server.off('event', onEvent);
      };
    },
    onObjectEvent(listener) {
      const onEvent = (event: S3rverEvent) => {
        for (const record of event.Records) listener(record);
      };
      server.on('event', onEvent);
      return () => {
        server.off('event', onEvent);
      };
    },
    async stop() {
      client.destroy();
      await front.close();
      await server.close();
    },
  };
}

/**
 * Points the SDK's standard configuration chain, which the handlers use, at `endpoint`: the same environment
 * variables a user would set, no special code path in the handlers.
 */
export function useS3Endpoint(endpoint: string): void {
  process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION ??= 'us-east-1';
  // For the other clients in this process (seeding, the bench's bare SDK calls), as s3rver needs them; the
  // handlers' own client sets both in code (origin-response/s3-origin.ts), as deployed.
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION = 'WHEN_REQUIRED';
  process.env.AWS_RESPONSE_CHECKSUM_VALIDATION = 'WHEN_REQUIRED';
  // The SDK warns once that its releases from 2027 need Node 22. That concerns the machines running the local
  // stack, not the deployed functions (nodejs22.x); the README says Node 20 or newer works today.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

/** The front's answer to a conditional PUT of an existing key, as S3 words it. */
const PRECONDITION_FAILED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
  '<Message>At least one of the pre-conditions you specified did not hold</Message>' +
  '<Condition>If-None-Match</Condition></Error>';

/** S3's answer for a bucket no notification configuration was ever set on. */
const EMPTY_NOTIFICATIONS =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>';

/** A notification configuration's body is at most this long here (S3 states no limit; this keeps reads bounded). */
const MAX_NOTIFICATION_BYTES = 1024 * 1024;

/** Request headers not passed on: hop-by-hop ones, and `Expect` (this server has already said 100 Continue). */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'expect', 'proxy-connection', 'upgrade']);

/**
 * The HTTP front: every request goes on to s3rver with `+` in its path turned into `%20`; writes to an object
 * key wait for the writes before them to that key, and a PUT with `If-None-Match: *` first looks the key up.
 */
class S3Front {
  private readonly agent = new Agent({ keepAlive: true });
  private readonly server: Server;
  /** The tail of each object key's queue of writes, while it has one. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Each bucket's notification configuration XML, as last PUT. */
  private readonly notifications = new Map<string, string>();

  constructor(private readonly backendPort: number) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end(`s3 front: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = s3PathDecoding(req.url ?? '/');
    const bucket = notificationBucket(url);
    if (bucket !== undefined && (req.method === 'GET' || req.method === 'PUT')) {
      return this.notification(req, res, bucket);
    }
    const key = objectKey(url);
    if (!key || req.method === 'GET' || req.method === 'HEAD') return this.forward(req, res, url);
    const previous = this.writes.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.writes.set(key, tail);
    try {
      await previous;
      const conditional = req.method === 'PUT' && req.headers['if-none-match']?.trim() === '*';
      if (conditional && (await this.exists(url))) {
        await drain(req);
        const length = Buffer.byteLength(PRECONDITION_FAILED);
        res.writeHead(412, { 'Content-Type': 'application/xml', 'Content-Length': length });
        res.end(PRECONDITION_FAILED);
        return;
      }
      await this.forward(req, res, url);
    } finally {
      release();
      if (this.writes.get(key) === tail) this.writes.delete(key);
    }
  }

  /** GET or PUT `/{bucket}?notification`: the stored XML, or the body stored once it reads as a configuration. */
  private async notification(req: IncomingMessage, res: ServerResponse, bucket: string): Promise<void> {
    const body = req.method === 'PUT' ? await readBody(req, MAX_NOTIFICATION_BYTES) : undefined;
    if (!(await this.exists(`/${encodeURIComponent(bucket)}`))) {
      return answer(res, 404, s3Error('NoSuchBucket', 'The specified bucket does not exist'));
    }
    if (body === undefined) return answer(res, 200, this.notifications.get(bucket) ?? EMPTY_NOTIFICATIONS);
    if (body === null) return answer(res, 400, s3Error('MaxMessageLengthExceeded', 'Your request was too big.'));
    if (!/^\s*(<\?xml[^>]*\?>\s*)?<NotificationConfiguration[\s/>]/.test(body)) {
      return answer(res, 400, s3Error('MalformedXML', 'The XML you provided was not well-formed'));
    }
    this.notifications.set(bucket, body);
    answer(res, 200, '');
  }

  private backend(method: string, path: string): RequestOptions {
    return { agent: this.agent, host: '127.0.0.1', port: this.backendPort, method, path };
  }

  /** True when s3rver has an object at the path's key (an anonymous HEAD: s3rver checks only signed requests). */
  private exists(url: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const head = httpRequest(this.backend('HEAD', url.split('?')[0] ?? '/'), (incoming) => {
        incoming.resume();
        incoming.on('end', () => resolve(incoming.statusCode === 200));
        incoming.on('error', reject);
      });
      head.on('error', reject);
      head.end();
    });
  }

  /** Passes the request on and the answer back, headers in their case; resolves once the answer is sent. */
  private forward(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = value;
    }
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest({ ...this.backend(req.method ?? 'GET', url), headers }, (incoming) => {
        const raw: string[] = [];
        for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
          const name = incoming.rawHeaders[i]!;
          if (!NOT_FORWARDED.has(name.toLowerCase())) raw.push(name, incoming.rawHeaders[i + 1]!);
        }
        res.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, raw);
        incoming.pipe(res);
        incoming.on('error', reject);
        res.on('close', () => resolve());
      });
      outgoing.on('error', reject);
      req.pipe(outgoing);
    });
  }
}

/** S3's REST reading of a request target: `+` in the path is a space (a literal plus arrives as `%2B`). */
export function s3PathDecoding(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return path.includes('+') ? path.replaceAll('+', '%20') + (query < 0 ? '' : url.slice(query)) : url;
}

/** `bucket/key` (decoded) for a path-style object URL, or `undefined` for a bucket or service URL. */
function objectKey(url: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  const slash = path.indexOf('/', 1);
  if (slash < 0 || slash === path.length - 1) return undefined;
  try {
    return decodeURIComponent(path.slice(1));
  } catch {
    return path.slice(1);
  }
}

/** The bucket of a `/{bucket}?notification` request, or `undefined` for any other. */
function notificationBucket(url: string): string | undefined {
  const [path = '', query = ''] = url.split('?', 2);
  if (!new URLSearchParams(query).has('notification')) return undefined;
  const match = /^\/([^/]+)\/?$/.exec(path);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

function answer(res: ServerResponse, status: number, xml: string): void {
  const headers = xml ? { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) } : {};
  res.writeHead(status, { 'Content-Length': 0, ...headers });
  res.end(xml);
}

/** The request's body as UTF-8, or `null` (the rest drained unread) once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(length > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    req.on('end', resolve);
    req.on('error', reject);
    req.resume();
  });
}
