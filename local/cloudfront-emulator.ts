/**
 * A CloudFront distribution in front of the local S3, following CloudFront's order for each GET/HEAD:
 *
 *   viewer request → viewer-request function → (a generated answer goes straight back)
 *   → edge cache lookup on the URI → on a miss: origin fetch from S3 → origin-response function
 *   → CloudFront's rules checked (502 on a violation) → edge cache → viewer
 *
 * Headers CloudFront adds to every answer are added here too: `X-Cache`, `Via`, `X-Amz-Cf-Id`, `X-Amz-Cf-Pop`,
 * `Age` on a hit, and `Server-Timing` (as a response headers policy with Server-Timing enabled adds it).
 */
import type { CloudFrontHeaders, CloudFrontRequest, CloudFrontResultResponse } from 'aws-lambda';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { contractViolations } from './cloudfront-rules';
import { cacheTtlSeconds, EdgeCache, type CachedAnswer } from './edge-cache';
import { EDGE_HOST, newRequestId, originRequest, originResponseEvent, viewerRequestEvent } from './edge-events';
import { invoke, TIMEOUT_MS, type EdgeFunctions, type Invocation } from './edge-functions';
import type { OriginFetcher } from './origin-fetch';

/** What one request did: logged as one line, kept for the page and the tests. */
export interface RequestRecord {
  requestId: string;
  method: string;
  url: string;
  /** The cache key (the URI after the viewer-request), when the request got that far. */
  key?: string;
  /**
   * The first word of `X-Cache`: Hit, Miss, LambdaGeneratedResponse, LambdaValidationError, LambdaExecutionError,
   * Error.
   */
  cache: string;
  status: number;
  originStatus?: number;
  /** `passed`: the origin-response left S3's answer as it was; `replaced`: it generated its own. */
  originResponse?: 'passed' | 'replaced';
  viewerRequestMs?: number;
  originFetchMs?: number;
  originResponseMs?: number;
  totalMs: number;
  /** Why CloudFront answered an error itself (a function failed or broke the rules, S3 unreachable). */
  error?: string;
}

export interface EmulatorStats {
  requests: number;
  hits: number;
  misses: number;
  originFetches: number;
  /** Origin-response runs that answered with their own response instead of S3's (a variant generated). */
  originResponseReplaced: number;
}

interface Answer extends CachedAnswer {
  xCache: string;
  ageSeconds?: number;
}

export interface EmulatorOptions {
  functions: EdgeFunctions;
  origin: OriginFetcher;
  bucket: string;
  /** CloudFront collapses simultaneous misses for one key at an edge into one origin fetch (default true). */
  collapseRequests?: boolean;
  cache?: EdgeCache;
  onRecord: (record: RequestRecord) => void;
}

export class CloudFrontEmulator {
  readonly cache: EdgeCache;
  readonly stats: EmulatorStats = { requests: 0, hits: 0, misses: 0, originFetches: 0, originResponseReplaced: 0 };
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly options: EmulatorOptions) {
    this.cache = options.cache ?? new EdgeCache();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const record: RequestRecord = {
      requestId: newRequestId(),
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      cache: 'Error',
      status: 0,
      totalMs: 0,
    };
    this.stats.requests += 1;
    let answer: Answer;
    try {
      answer = await this.distribute(req, record);
    } catch (error) {
      record.error = `emulator failure: ${error instanceof Error ? error.message : String(error)}`;
      answer = cloudFrontError(500, 'Error', record.error);
    }
    record.status = answer.status;
    record.cache = answer.xCache;
    record.totalMs = Math.round(performance.now() - started);
    send(res, answer, record);
    this.options.onRecord(record);
  }

  private async distribute(req: IncomingMessage, record: RequestRecord): Promise<Answer> {
    if (record.method !== 'GET' && record.method !== 'HEAD') {
      return cloudFrontError(
        403,
        'Error',
        'This distribution is not configured to allow the HTTP request method that was used for this request.',
      );
    }
    if (record.url.length >= 8192) return cloudFrontError(414, 'Error', 'The URI is too long.');
    if (!record.url.startsWith('/')) return cloudFrontError(400, 'Error', 'Bad request.');
    const clientIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const event = viewerRequestEvent({
      requestId: record.requestId,
      method: record.method,
      target: record.url,
      rawHeaders: req.rawHeaders,
      clientIp,
    });
    const ran = await invoke(this.options.functions.viewerRequest, event, TIMEOUT_MS['viewer-request']);
    record.viewerRequestMs = ran.ms;
    const outcome = viewerRequestOutcome(ran);
    if ('answer' in outcome) {
      if (outcome.error) record.error = outcome.error;
      return outcome.answer;
    }
    record.key = outcome.uri;
    return this.fromCacheOrOrigin(outcome.uri, clientIp, record);
  }

  private async fromCacheOrOrigin(key: string, clientIp: string, record: RequestRecord): Promise<Answer> {
    const hit = this.hit(key);
    if (hit) return hit;
    const pending = this.options.collapseRequests === false ? undefined : this.inflight.get(key);
    if (pending) {
      await pending;
      const collapsed = this.hit(key);
      if (collapsed) return collapsed;
    }
    let finished = () => {};
    const flight = new Promise<void>((resolve) => {
      finished = resolve;
    });
    if (!this.inflight.has(key)) this.inflight.set(key, flight);
    try {
      return await this.miss(key, clientIp, record);
    } finally {
      if (this.inflight.get(key) === flight) this.inflight.delete(key);
      finished();
    }
  }

  private hit(key: string): Answer | undefined {
    const cached = this.cache.get(key);
    if (!cached) return undefined;
    this.stats.hits += 1;
    return { ...cached.answer, xCache: 'Hit', ageSeconds: cached.ageSeconds };
  }

  private async miss(key: string, clientIp: string, record: RequestRecord): Promise<Answer> {
    this.stats.misses += 1;
    const request = originRequest(key, this.options.bucket, clientIp);
    let fetched;
    try {
      fetched = await this.options.origin.fetch(request);
    } catch (error) {
      record.error = `origin fetch failed: ${error instanceof Error ? error.message : String(error)}`;
      return cloudFrontError(502, 'Error', "CloudFront wasn't able to connect to the origin.");
    }
    this.stats.originFetches += 1;
    record.originStatus = fetched.status;
    record.originFetchMs = fetched.ms;

    const event = originResponseEvent(record.requestId, request, fetched);
    const originHeaders = event.Records[0]!.cf.response.headers;
    const ran = await invoke(this.options.functions.originResponse, event, TIMEOUT_MS['origin-response']);
    record.originResponseMs = ran.ms;
    const checked = checkFunctionAnswer(ran, 'origin-response', originHeaders);
    if ('error' in checked) {
      record.error = checked.error;
      return checked.answer;
    }
    const response = checked.response;
    const replaced = response.body !== undefined || response.status !== String(fetched.status);
    record.originResponse = replaced ? 'replaced' : 'passed';
    if (replaced) this.stats.originResponseReplaced += 1;

    const answer = toAnswer(response, response.body === undefined ? fetched.body : undefined);
    const cacheControl = answer.headers.find(([name]) => name.toLowerCase() === 'cache-control')?.[1];
    this.cache.set(key, answer, cacheTtlSeconds(answer.status, cacheControl));
    return { ...answer, xCache: 'Miss' };
  }
}

type ViewerRequestOutcome = { uri: string } | { answer: Answer; error?: string };

function viewerRequestOutcome(ran: Invocation<unknown>): ViewerRequestOutcome {
  if (ran.kind === 'returned' && isObject(ran.result) && !('status' in ran.result)) {
    const request = ran.result as Partial<CloudFrontRequest>;
    if (typeof request.uri === 'string' && request.uri.startsWith('/') && typeof request.querystring === 'string')
      return { uri: request.uri };
    const error = 'viewer-request returned a request without a valid uri and querystring';
    return { answer: cloudFrontError(502, 'LambdaValidationError', error), error };
  }
  const checked = checkFunctionAnswer(ran, 'viewer-request', {});
  if ('error' in checked) return checked;
  return { answer: { ...toAnswer(checked.response, undefined), xCache: 'LambdaGeneratedResponse' } };
}

/** A function's answer as CloudFront judges it: the response, or the error CloudFront answers instead. */
function checkFunctionAnswer(
  ran: Invocation<unknown>,
  eventType: 'viewer-request' | 'origin-response',
  originHeaders: CloudFrontHeaders,
): { response: CloudFrontResultResponse } | { answer: Answer; error: string } {
  if (ran.kind === 'failed') return lambdaError(503, 'LambdaExecutionError', `${eventType} failed: ${ran.error}`);
  if (ran.kind === 'timed-out')
    return lambdaError(503, 'LambdaExecutionError', `${eventType} timed out after ${TIMEOUT_MS[eventType]} ms`);
  if (!isObject(ran.result)) return lambdaError(502, 'LambdaValidationError', `${eventType} returned no response`);
  const response = ran.result as unknown as CloudFrontResultResponse;
  const violations = contractViolations(response, eventType, originHeaders);
  if (violations.length > 0)
    return lambdaError(
      502,
      'LambdaValidationError',
      `${eventType} response breaks CloudFront's rules: ${violations.join('; ')}`,
    );
  return { response };
}

function lambdaError(status: number, xCache: string, error: string): { answer: Answer; error: string } {
  const reason =
    status === 502
      ? 'The Lambda function returned an invalid response.'
      : 'The Lambda function associated with the CloudFront distribution failed.';
  return { answer: cloudFrontError(status, xCache, reason), error };
}

/** One of CloudFront's own error pages (never cached here: the request can be retried at once). */
function cloudFrontError(status: number, xCache: string, reason: string): Answer {
  return {
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers: [['Content-Type', 'text/plain; charset=utf-8']],
    body: Buffer.from(`${status} ERROR: The request could not be satisfied. ${reason}\n`),
    xCache,
  };
}

/** Headers that describe one connection or one body encoding: recomputed when the answer is sent. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'content-length', 'transfer-encoding']);

function toAnswer(response: CloudFrontResultResponse, originBody: Buffer | undefined): CachedAnswer {
  const status = Number(response.status);
  const headers: [string, string][] = [];
  for (const [name, list] of Object.entries(response.headers ?? {})) {
    if (NOT_FORWARDED.has(name)) continue;
    for (const { key, value } of list) headers.push([key ?? name, value]);
  }
  const body = originBody ?? Buffer.from(response.body ?? '', response.bodyEncoding === 'base64' ? 'base64' : 'utf8');
  return { status, statusText: response.statusDescription || (STATUS_CODES[status] ?? ''), headers, body };
}

function send(res: ServerResponse, answer: Answer, record: RequestRecord): void {
  const timing = [
    `cdn-cache-${answer.xCache === 'Hit' ? 'hit' : 'miss'}`,
    'cdn-pop;desc="LOCAL"',
    `cdn-rid;desc="${record.requestId}"`,
    ...(record.originFetchMs === undefined ? [] : [`cdn-upstream-fbl;dur=${record.originFetchMs}`]),
    `cdn-downstream-fbl;dur=${record.totalMs}`,
  ];
  const via = answer.headers.find(([name]) => name.toLowerCase() === 'via')?.[1];
  const headers: [string, string][] = [
    ...answer.headers.filter(([name]) => name.toLowerCase() !== 'via'),
    ['Content-Length', String(answer.body.length)],
    ['Via', `${via ? `${via}, ` : ''}1.1 ${EDGE_HOST} (CloudFront)`],
    ['X-Cache', `${answer.xCache} from cloudfront`],
    ['X-Amz-Cf-Pop', 'LOCAL'],
    ['X-Amz-Cf-Id', record.requestId],
    ['Server-Timing', timing.join(', ')],
    ...(answer.ageSeconds === undefined ? [] : [['Age', String(answer.ageSeconds)] as [string, string]]),
  ];
  res.writeHead(answer.status, answer.statusText, headers.flat());
  res.end(record.method === 'HEAD' ? undefined : answer.body);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
