/**
 * The whole pair running locally: s3rver with its data in a folder, both built handlers loaded in-process and
 * pointed at it through the SDK's standard environment, and the CloudFront emulator on an HTTP port, which also
 * serves the gallery page at `/` and request records under `/_local/` (outside the distribution's paths).
 *
 * `npm start` runs it; the end-to-end and browser tests and the benchmarks start the same thing with
 * `startLocalStack({ port: 0, dataDir, images })`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import userConfig from '../edge-resize.config';
import { resolveConfig } from '../shared/config';
import { CloudFrontEmulator, type EmulatorStats, type RequestRecord } from './cloudfront-emulator';
import { loadFunctions, type FunctionPaths } from './edge-functions';
import { galleryPage } from './gallery-page';
import { OriginFetcher } from './origin-fetch';
import { startRefreshBridge, type RefreshBridge } from './refresh-bridge';
import { DEFAULT_DATA_DIR, SAMPLE_PHOTOS } from './paths';
import { startS3Server, useS3Endpoint, type S3Server } from './s3-server';
import { listOriginals, seedImages, type SeedResult } from './seed';

export const DEFAULT_BUCKET = 'edge-resize-local';
export const DEFAULT_PORT = 3000;
const SERVICE = 'edge-resize-local-cloudfront';
/** Records kept for the page's lookups and the tests; older ones are dropped. */
const RECORDS_KEPT = 2000;

export interface LocalStackOptions {
  /** The emulator's port on 127.0.0.1 (default 3000; 0 picks a free one). */
  port?: number;
  /** Where s3rver keeps the bucket (default `.data/` at the repository root). */
  dataDir?: string;
  /**
   * Seed from this folder (recursively, keys are the relative paths). Default: the sample photos, on first start
   * only.
   */
  images?: string;
  bucket?: string;
  /** CloudFront's request collapsing: simultaneous misses for one key share one origin fetch (default true). */
  collapseRequests?: boolean;
  /** Other handler modules than the built bundles (tests of the emulator's own rules). */
  functions?: FunctionPaths;
  /** Another refresh handler than the built bundle, made once the environment points at the local services. */
  refreshHandler?: () => (event: unknown) => Promise<unknown>;
  /** Where the one line per request goes (default stdout, as JSON). */
  log?: (line: string) => void;
  /**
   * The behaviour's path pattern the functions were built with (default: edge-resize.config.ts's, as `npm run
   * build` bakes it): seeding and the gallery put and look for originals under its prefix.
   */
  pathPattern?: string;
}

export interface LocalStack {
  /** `http://127.0.0.1:PORT/`: the gallery; every other path goes through the distribution. */
  url: string;
  port: number;
  s3: S3Server;
  dataDir: string;
  seeded: SeedResult | undefined;
  /** Live counters: requests, hits, misses, origin fetches, origin-response runs that replaced S3's answer. */
  stats: EmulatorStats;
  /** The most recent request records, oldest first. */
  records: RequestRecord[];
  /** The refresh function on the local S3's object events, and the mock CloudFront API it invalidates through. */
  refresh: RefreshBridge;
  clearCache(): void;
  stop(): Promise<void>;
}

/** Thrown when the port is taken, with a message fit for the terminal. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is already in use: stop whatever is listening there, or choose another port with --port N`);
    this.name = 'PortInUseError';
  }
}

/** The SDK reads the S3 endpoint from `process.env`, so one process runs one stack at a time. */
let running = false;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (running)
    throw new Error('a local stack is already running in this process (the S3 endpoint lives in process.env)');
  running = true;
  // The port first: a port in use must fail before anything is started or seeded.
  let routes: Routes | undefined;
  const server = createServer((req, res) => {
    const ready = routes ?? unavailable;
    route(req, res, ready).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`local stack failure: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  let s3: S3Server | undefined;
  let stopRefresh: (() => Promise<void>) | undefined;
  try {
    const port = await listen(server, options.port ?? DEFAULT_PORT);
    const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
    const bucket = options.bucket ?? DEFAULT_BUCKET;
    const s3Directory = join(dataDir, 's3');
    const firstStart = !existsSync(join(s3Directory, bucket));
    mkdirSync(s3Directory, { recursive: true });
    s3 = await startS3Server({ directory: s3Directory, bucket });
    const s3Server = s3;
    useS3Endpoint(s3Server.endpoint);
    const { pathPattern } = options;
    const config = resolveConfig(pathPattern ? { ...userConfig, pathPattern } : userConfig);
    const seedFolder = options.images ?? (firstStart ? SAMPLE_PHOTOS : undefined);
    const seeded = seedFolder ? await seedImages(s3Server, seedFolder, config) : undefined;

    const records: RequestRecord[] = [];
    const writeLine = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    const origin = new OriginFetcher(s3Server.endpoint, bucket);
    const emulator = new CloudFrontEmulator({
      functions: loadFunctions(options.functions),
      origin,
      bucket,
      collapseRequests: options.collapseRequests ?? true,
      onRecord(record) {
        records.push(record);
        if (records.length > RECORDS_KEPT) records.splice(0, records.length - RECORDS_KEPT);
        writeLine(requestLine(record));
      },
    });
    const refresh = await startRefreshBridge(s3Server, emulator.cache, options.refreshHandler);
    stopRefresh = () => refresh.stop();
    const page = async (res: ServerResponse) => {
      const html = galleryPage(await listOriginals(s3Server, config), { bucket, s3Endpoint: s3Server.endpoint });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
    };
    routes = { page, emulator, records };
    return {
      url: `http://127.0.0.1:${port}/`,
      port,
      s3: s3Server,
      dataDir,
      seeded,
      stats: emulator.stats,
      records,
      refresh,
      clearCache: () => emulator.cache.clear(),
      async stop() {
        await closeServer(server);
        await refresh.stop();
        origin.close();
        await s3Server.stop();
        running = false;
      },
    };
  } catch (error) {
    await closeServer(server);
    await stopRefresh?.();
    await s3?.stop();
    running = false;
    throw error;
  }
}

/** Answers while the stack is still starting. */
const unavailable: Routes = {
  page: (res) => {
    res.writeHead(503, { 'Retry-After': '1' }).end('starting\n');
    return Promise.resolve();
  },
  emulator: {
    handle: (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(503, { 'Retry-After': '1' }).end('starting\n');
      return Promise.resolve();
    },
  },
  records: [],
};

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

interface Routes {
  page: (res: ServerResponse) => Promise<void>;
  emulator: Pick<CloudFrontEmulator, 'handle'>;
  records: RequestRecord[];
}

/** What a phone's browser says of itself: an iPhone's User-Agent, and Chromium's mobile client hint. */
export const PHONE_HEADERS: Readonly<Record<string, string>> = {
  'User-Agent':
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Version/18.0 Mobile/15E148 Safari/604.1',
  'Sec-CH-UA-Mobile': '?1',
};

/** `/_local/as-phone/x.jpg` is `/x.jpg` asked by a phone: a browser cannot change its own User-Agent for an `<img>`. */
const AS_PHONE = /^\/_local\/as-phone(\/.*)$/;

/** The request's raw headers with `replacements` in place of any header of the same name. */
function replaceHeaders(rawHeaders: readonly string[], replacements: Readonly<Record<string, string>>): string[] {
  const names = new Set(Object.keys(replacements).map((name) => name.toLowerCase()));
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!names.has(rawHeaders[i]!.toLowerCase())) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return [...kept, ...Object.entries(replacements).flat()];
}

/**
 * `/` and `/_local/…` belong to the emulator itself; every other path is the distribution's. `/_local/as-phone/…`
 * goes to the distribution too, as the same request from a phone.
 */
async function route(req: IncomingMessage, res: ServerResponse, routes: Routes): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) return routes.page(res);
  const asPhone = AS_PHONE.exec(req.url ?? '');
  if (asPhone) {
    req.url = asPhone[1];
    req.rawHeaders = replaceHeaders(req.rawHeaders, PHONE_HEADERS);
    return routes.emulator.handle(req, res);
  }
  const recordId = /^\/_local\/requests\/([A-Za-z0-9_-]+)$/.exec(path ?? '')?.[1];
  if (recordId) {
    const record = routes.records.find((r) => r.requestId === recordId);
    res.writeHead(record ? 200 : 404, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(record ?? { error: 'no such request' }));
    return;
  }
  return routes.emulator.handle(req, res);
}

/** A request record's fields in the order its log line shows them. */
const REQUEST_FIELDS = [
  'requestId',
  'method',
  'url',
  'key',
  'cache',
  'status',
  'originStatus',
  'originResponse',
  'viewerRequestMs',
  'originFetchMs',
  'originResponseMs',
  'totalMs',
  'error',
] as const satisfies readonly (keyof RequestRecord)[];

/** The request's log line, in the same Powertools shape as the functions' own lines (`shared/log.ts`). */
function requestLine(record: RequestRecord): string {
  const level = record.status >= 500 ? 'WARN' : 'INFO';
  return JSON.stringify({
    level,
    message: 'request',
    timestamp: new Date().toISOString(),
    service: SERVICE,
    ...Object.fromEntries(REQUEST_FIELDS.map((field) => [field, record[field]])),
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
