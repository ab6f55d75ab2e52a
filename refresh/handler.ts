/**
 * The regional refresh function. Invoked by S3 event notifications on the originals (ObjectCreated:*,
 * ObjectRemoved:*) and by S3 Batch Operations jobs; deployed in the bucket's region (serverless.refresh.yml).
 *
 * For each original it reads the object's current state first (HeadObject), so duplicate and out-of-order
 * deliveries converge: an event whose write has since been overwritten or deleted is `superseded` (the later
 * write's own event does the work). Then:
 *   replaced or deleted: every variant deleted from S3 and exactly the existing ones invalidated in CloudFront;
 *   present: the configured variants pre-generated (`pregenerate`), with the origin-response's own code.
 * Variant keys are ignored in the first step (our own writes also raise ObjectCreated events when the
 * notification cannot be limited to the originals' prefix).
 *
 * S3 notifications are invoked asynchronously: a failure (S3 or CloudFront unreachable) is thrown, so Lambda
 * retries and then hands the event to the on-failure destination. A record that cannot be read is logged and
 * skipped. Batch Operations tasks never throw: each gets its documented result code.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { currentETag } from '../origin-response/freshness';
import { s3ClientFor } from '../origin-response/s3-origin';
import { configureSharp } from '../origin-response/transform';
import type { EdgeConfig } from '../shared/config';
import { hasImageExtension } from '../shared/image-path';
import { errorText, log } from '../shared/log';
import { parseVariantKey } from '../shared/variant-key';
import { readInvocation, unquote, type Action, type BatchJob, type BatchResponse, type ResultCode } from './events';
import { cloudFrontClient, invalidate, PRICE_PER_PATH } from './invalidate';
import { pregenerate } from './pregenerate';
import { candidateUris, deleteKeys, encodedPath, existing, pairsInUse, uriToKey } from './variants';

const SERVICE = 'edge-resize-refresh';

export interface RefreshSettings {
  /** The distribution whose cache holds the variants; without it nothing is invalidated (logged). */
  distributionId: string | undefined;
  /** The distribution's origin path as a key prefix (`images/` for `/images`), or `''`. */
  keyPrefix: string;
  s3?: S3Client;
  cloudFront?: CloudFrontClient;
}

export interface Refreshed {
  outcome: 'ignored' | 'superseded' | 'purged' | 'warmed' | 'refused';
  reason?: string;
  /** Variants that existed and were deleted, by URI (also the paths invalidated). */
  purged?: string[];
  invalidations?: string[];
  made?: number;
  present?: number;
}

/** Reads `EDGE_RESIZE_DISTRIBUTION_ID` and `EDGE_RESIZE_ORIGIN_PATH` (a regional function has an environment). */
export function settingsFromEnv(env: NodeJS.ProcessEnv): RefreshSettings {
  const path = (env.EDGE_RESIZE_ORIGIN_PATH ?? '').replace(/^\/+|\/+$/g, '');
  return { distributionId: env.EDGE_RESIZE_DISTRIBUTION_ID || undefined, keyPrefix: path ? `${path}/` : '' };
}

export function createRefreshHandler(config: EdgeConfig, settings: RefreshSettings) {
  configureSharp(config);
  const s3 = () => settings.s3 ?? s3ClientFor(undefined);

  /** What one original needs, given what the event said and what S3 says now. */
  async function refresh(
    bucket: string,
    key: string,
    action: Action,
    event?: { removed: boolean; eTag?: string },
  ): Promise<Refreshed> {
    if (!key.startsWith(settings.keyPrefix)) return { outcome: 'ignored', reason: 'outside the origin path' };
    const relativeKey = key.slice(settings.keyPrefix.length);
    const uri = `/${encodedPath(relativeKey)}`;
    if (!hasImageExtension(uri)) return { outcome: 'ignored', reason: 'not an image' };
    if (parseVariantKey(uri, config).kind !== 'not-variant') return { outcome: 'ignored', reason: 'a variant key' };
    const now = await currentETag(s3(), bucket, key, config.s3DeadlineMs);
    if (event) {
      const overwritten =
        !event.removed && event.eTag !== undefined && (now === undefined || unquote(now) !== event.eTag);
      if (overwritten || (event.removed && now !== undefined)) return { outcome: 'superseded' };
    }
    if (action === 'warm' && now === undefined) return { outcome: 'refused', reason: 'the original is gone' };
    const result: Refreshed = { outcome: 'purged' };
    if (action !== 'warm') Object.assign(result, await purge(bucket, relativeKey));
    if (action === 'purge' || now === undefined) return result;
    const made = await pregenerate(s3(), bucket, settings.keyPrefix, relativeKey, config);
    if (made.refused) return { ...result, outcome: 'refused', reason: made.refused };
    return {
      ...result,
      outcome: action === 'warm' ? 'warmed' : result.outcome,
      made: made.made,
      present: made.present,
    };
  }

  async function purge(bucket: string, relativeKey: string): Promise<Pick<Refreshed, 'purged' | 'invalidations'>> {
    const pairs = await pairsInUse(s3(), bucket, settings.keyPrefix, config);
    const uris = candidateUris(pairs, relativeKey, config);
    const keys = uris.map((uri) => uriToKey(uri, settings.keyPrefix));
    const found = await existing(s3(), bucket, keys);
    await deleteKeys(s3(), bucket, keys);
    const purged = uris.filter((_, i) => found.has(keys[i]!));
    if (purged.length === 0) return { purged, invalidations: [] };
    if (!settings.distributionId) {
      log('WARN', SERVICE, 'no distribution configured: CloudFront keeps its copies', {
        key: relativeKey,
        paths: purged.length,
      });
      return { purged, invalidations: [] };
    }
    const invalidations = await invalidate(settings.cloudFront ?? cloudFrontClient(), settings.distributionId, purged);
    return { purged, invalidations };
  }

  async function runBatch(job: BatchJob): Promise<BatchResponse> {
    const results: BatchResponse['results'] = [];
    for (const task of job.tasks) {
      let resultCode: ResultCode = 'Succeeded';
      let resultString: string;
      if (task.problem || !task.bucket || task.key === undefined) {
        resultCode = 'PermanentFailure';
        resultString = task.problem ?? 'the task names no object';
      } else {
        try {
          const done = await refresh(task.bucket, task.key, job.action);
          resultString = summary(done);
          if (done.outcome === 'refused') resultCode = 'PermanentFailure';
        } catch (error) {
          resultCode = 'TemporaryFailure';
          resultString = errorText(error);
        }
      }
      log(resultCode === 'Succeeded' ? 'INFO' : 'WARN', SERVICE, 'batch task', {
        invocationId: job.invocationId,
        taskId: task.taskId,
        key: task.key,
        action: job.action,
        resultCode,
        resultString,
      });
      results.push({ taskId: task.taskId, resultCode, resultString });
    }
    return {
      invocationSchemaVersion: job.invocationSchemaVersion,
      treatMissingKeysAs: 'PermanentFailure',
      invocationId: job.invocationId,
      results,
    };
  }

  return async function handler(event: unknown): Promise<BatchResponse | undefined> {
    const invocation = readInvocation(event);
    if (invocation.kind === 'unknown') {
      log('ERROR', SERVICE, 'event not handled', { reason: invocation.problem });
      return undefined;
    }
    if (invocation.kind === 'batch') return runBatch(invocation.job);
    for (const problem of invocation.problems) log('ERROR', SERVICE, 'record skipped', { reason: problem });
    for (const change of invocation.changes) {
      const done = await refresh(change.bucket, change.key, 'refresh', change);
      log('INFO', SERVICE, 'original changed', {
        bucket: change.bucket,
        key: change.key,
        removed: change.removed,
        outcome: done.outcome,
        reason: done.reason,
        purged: done.purged?.length,
        invalidated: done.invalidations?.length,
        made: done.made,
        invalidationCost: done.purged ? Number((done.purged.length * PRICE_PER_PATH).toFixed(3)) : undefined,
      });
    }
    return undefined;
  };
}

/** One line for a Batch Operations completion report. */
function summary(done: Refreshed): string {
  const parts: string[] = [done.outcome];
  if (done.reason) parts.push(done.reason);
  if (done.purged) parts.push(`${done.purged.length} variants purged`);
  if (done.made !== undefined) parts.push(`${done.made} made, ${done.present ?? 0} present`);
  return parts.join(': ');
}
