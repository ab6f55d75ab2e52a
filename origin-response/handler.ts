/**
 * The origin-response handler: when S3 answered 404 (or 403, with `treat403AsMiss`) for a URI that is a valid
 * variant key, read the original, transform it, store the variant and answer it inline (or redirect to it when
 * too large to inline). Every other response passes through untouched. Never throws: each failure becomes a
 * CloudFront response plus one JSON log line.
 */
import type { CloudFrontResponseEvent, CloudFrontResponseResult, CloudFrontResultResponse } from 'aws-lambda';
import type { EdgeConfig } from '../shared/config';
import { decodePath } from '../shared/image-path';
import { errorText, log, type LogFields } from '../shared/log';
import { parseVariantKey, type Variant } from '../shared/variant-key';
import { sourceFormat } from '../shared/options';
import { isNegotiable } from '../shared/policy';
import { recordGenerated, recordRefusal, recordS3Error } from './metrics';
import { errorResponse, imageResponse, redirectToSelf, withVaryAccept } from './respond';
import { readOriginal, s3ClientFor, s3Error, s3Location, storeVariant, type S3Location } from './s3-origin';
import { sniff } from './sniff';
import { configureSharp, plannedWork, transform, UnprocessableImage, type TransformResult } from './transform';
import { TransformCrashed, TransformProcesses } from './transform-process';
import { freshnessOf, sourceMetadata, uncacheable } from './freshness';

const SERVICE = 'edge-resize-origin-response';

type Response = CloudFrontResponseEvent['Records'][number]['cf']['response'];

export interface HandlerOptions {
  /**
   * The script a child process runs transforms from (the bundle itself, index.ts), so the deadline can kill it;
   * without one the transform runs in this process, bounded by the work budget and sharp's own timeout only.
   */
  transformScript?: string;
  /** Called with the process id of each transform killed at its deadline. */
  onKilled?: (pid: number | undefined) => void;
}

type Transformer = (input: Buffer, options: Variant['options']) => Promise<TransformResult>;

export function createOriginResponseHandler(config: EdgeConfig, options: HandlerOptions = {}) {
  configureSharp(config);
  const runTransform = transformer(config, options);
  // S3's answers for a missing key: 404, and 403 when the owner says a 403 means one (config.treat403AsMiss).
  const missStatuses = new Set(config.treat403AsMiss ? ['404', '403'] : ['404']);
  return async function handler(event: CloudFrontResponseEvent): Promise<CloudFrontResponseResult> {
    const cf = event.Records[0]?.cf;
    if (!cf) {
      log('ERROR', SERVICE, 'event has no CloudFront record');
      return undefined;
    }
    const { request, response } = cf;
    const fields: LogFields = { requestId: cf.config.requestId, uri: request.uri, originStatus: response.status };
    const key = parseVariantKey(request.uri, config);
    if (!missStatuses.has(response.status)) {
      // A stored variant S3 serves itself: only say that the URL it was asked by varies with Accept.
      return response.status === '200' && key.kind === 'variant' && variesWithAccept(key.variant, config)
        ? withVaryAccept(response)
        : response;
    }
    if (key.kind !== 'variant') {
      if (key.kind === 'invalid')
        log('INFO', SERVICE, 'not generated', { ...fields, outcome: 'refused', reason: key.reason });
      return response;
    }
    const location = s3Location(request.origin, config.bucket);
    if (!location) {
      log('ERROR', SERVICE, 'origin is not S3 and no bucket is configured', { ...fields, outcome: 'no-bucket' });
      return response;
    }
    try {
      return await generate(key.variant, location, request.uri, response, config, fields, runTransform);
    } catch (error) {
      // S3 unreachable or past its deadline, or anything unexpected: a short-lived 503, nothing half-written.
      const failure = { outcome: 'error', error: errorText(error), ...s3Error(error) };
      log('ERROR', SERVICE, 'variant not generated', { ...fields, ...failure });
      recordRefusal('s3-unavailable');
      return errorResponse(response, 503, 'the image could not be generated, try again shortly', 'no-store');
    }
  };
}

async function generate(
  variant: Variant,
  location: S3Location,
  uri: string,
  response: Response,
  config: EdgeConfig,
  fields: LogFields,
  runTransform: Transformer,
): Promise<CloudFrontResultResponse> {
  const client = s3ClientFor(location.region);
  const started = performance.now();
  const elapsed = (since: number) => Math.round(performance.now() - since);
  const originalKey = location.prefix + decodePath(variant.path);
  const original = await readOriginal(client, location.bucket, originalKey, config.maxInputBytes, config.s3DeadlineMs);
  const s3GetMs = elapsed(started);
  if (original.kind === 'missing') {
    const s3 = { s3Status: original.status, s3Code: original.code, bucket: location.bucket };
    if (original.code === 'NoSuchKey' || original.code === 'NotFound') {
      log('INFO', SERVICE, 'original missing', { ...fields, outcome: 'original-missing', s3GetMs, ...s3 });
      return response;
    }
    // A 403 is also how S3 answers a missing key to a role without s3:ListBucket; it may as well be a denial (a
    // bucket policy, KMS, a mistyped bucket): said at WARN, with S3's code. Any other 404 (NoSuchBucket) is ours.
    const level = original.status === 403 ? 'WARN' : 'ERROR';
    log(level, SERVICE, 'S3 refused the original', { ...fields, outcome: 's3-refused', s3GetMs, ...s3 });
    recordS3Error('GetObject', original.code);
    return response;
  }
  if (original.kind === 'too-large') {
    recordRefusal('too-large');
    return refuse(
      response,
      422,
      config.errorCacheControl,
      fields,
      `the original is ${original.bytes} bytes, over the ${config.maxInputBytes}-byte limit`,
    );
  }

  // From the first bytes, before sharp reads anything: SVG and other non-raster files cost sharp seconds to refuse.
  const sniffed = sniff(original.body);
  if (sniffed.kind === 'refused') {
    recordRefusal(sniffed.code);
    return refuse(response, 422, config.errorCacheControl, { ...fields, s3GetMs }, sniffed.reason);
  }

  const transformStarted = performance.now();
  let image;
  try {
    image = await runTransform(original.body, variant.options);
  } catch (error) {
    if (error instanceof TransformCrashed) {
      // The child died without answering (out of memory, a crash in libvips): ours, and maybe not next time.
      log('ERROR', SERVICE, 'transform process ended', { ...fields, outcome: 'error', error: error.message });
      recordRefusal('transform-crashed');
      return errorResponse(response, 503, 'the image could not be generated, try again shortly', 'no-store');
    }
    if (!(error instanceof UnprocessableImage)) throw error;
    recordRefusal(error.code);
    const at = { ...fields, s3GetMs, transformMs: elapsed(transformStarted) };
    // The deadline is our limit and may pass next time: 503, not cached. Every other refusal repeats, so it is.
    if (error.code === 'timeout') return refuse(response, 503, 'no-store', at, error.reason);
    return refuse(response, 422, config.errorCacheControl, at, error.reason);
  }
  const transformMs = elapsed(transformStarted);

  // Start the write, build the answer while it is in flight, then wait: Lambda freezes once we return.
  const putStarted = performance.now();
  const target = {
    bucket: location.bucket,
    key: location.prefix + decodePath(uri.slice(1)),
    contentType: image.contentType,
    cacheControl: config.variantCacheControl,
    metadata: sourceMetadata(original.etag),
  };
  const stored = storeVariant(client, target, image.data, config.s3DeadlineMs);
  const vary = variesWithAccept(variant, config);
  let inline = imageResponse(
    response,
    { ...image, cacheControl: config.variantCacheControl, vary },
    config.maxGeneratedResponseBytes,
  );
  const write = await stored;
  // The original may have been replaced since it was read: what was made from the old one must not stay.
  const written = { bucket: target.bucket, key: target.key, originalKey, sourceETag: original.etag };
  const freshness =
    write.kind === 'failed'
      ? 'unchecked'
      : await freshnessOf(
          client,
          { ...written, etag: write.kind === 'stored' ? write.etag : undefined },
          config.s3DeadlineMs,
        );
  if ((freshness === 'stale' || freshness === 'unknown') && inline) inline = uncacheable(inline);
  const done = {
    ...fields,
    s3GetMs,
    transformMs,
    s3PutMs: elapsed(putStarted),
    bytesIn: original.body.length,
    bytesOut: image.data.length,
    width: image.width,
    height: image.height,
    stored: write.kind,
    freshness,
    ...(write.kind === 'failed' ? putFailure(write.error) : {}),
  };
  if (!inline && write.kind === 'failed') {
    log('ERROR', SERVICE, 'variant too large to inline and not stored', { ...done, outcome: 'error' });
    recordRefusal('s3-unavailable');
    return errorResponse(response, 503, 'the image could not be stored, try again shortly', 'no-store');
  }
  recordGenerated({ ...done, stored: write.kind !== 'failed', redirected: !inline });
  if (inline) {
    log(write.kind === 'failed' ? 'WARN' : 'INFO', SERVICE, 'variant generated', { ...done, outcome: 'generated' });
    return inline;
  }
  log('INFO', SERVICE, 'variant generated, too large to inline: redirecting', { ...done, outcome: 'redirected' });
  return redirectToSelf(response, uri);
}

/** The log fields of a failed write, S3's status and code among them; counted in the metrics. */
function putFailure(error: unknown): LogFields {
  const { s3Status, s3Code } = s3Error(error);
  recordS3Error('PutObject', s3Code);
  return { putError: errorText(error), putStatus: s3Status, putCode: s3Code };
}

/**
 * Variants of JPEG, PNG and GIF originals are what a query URL gets after format negotiation, so caches between
 * CloudFront and the viewer must key them by `Accept` too.
 */
function variesWithAccept(variant: Variant, config: EdgeConfig): boolean {
  return isNegotiable(sourceFormat(variant.path), config);
}

function refuse(
  response: Response,
  status: number,
  cacheControl: string,
  fields: LogFields,
  reason: string,
): CloudFrontResultResponse {
  log('INFO', SERVICE, 'original refused', { ...fields, outcome: 'refused', status, reason });
  return errorResponse(response, status, reason, cacheControl);
}

/**
 * With a script, work over `workBudget.inProcessMegapixels` (read from the header) runs in a child process killed
 * at the deadline, and lighter work here, where the budget bounds it; without one, everything runs here.
 */
function transformer(config: EdgeConfig, options: HandlerOptions): Transformer {
  const { transformScript, onKilled } = options;
  if (!transformScript) return (input, variantOptions) => transform(input, variantOptions, config);
  const processes = new TransformProcesses(transformScript);
  processes.onKilled = (stopped) => {
    log('WARN', SERVICE, 'transform stopped at its deadline', { pid: stopped.pid, signal: stopped.signal });
    onKilled?.(stopped.pid);
  };
  return async (input, variantOptions) => {
    const work = await plannedWork(input, variantOptions, config);
    return work.megapixels <= config.workBudget.inProcessMegapixels
      ? transform(input, variantOptions, config, work)
      : processes.run(input, variantOptions, config);
  };
}
