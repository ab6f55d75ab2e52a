/**
 * Keeping a variant true to its original. Each stored variant names the ETag of the original it was made from
 * (`x-amz-meta-source-etag`). A miss may read the original just before a replacement lands; once its own write is
 * done it reads the original's ETag again, and when that changed it deletes what it wrote (only if the object is
 * still its own, If-Match) and answers non-cacheable, so the next request generates from the new original.
 */
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CloudFrontResultResponse } from 'aws-lambda';
import { s3Error } from './s3-origin';

/** The user-metadata name (S3 sends it as `x-amz-meta-source-etag`). */
export const SOURCE_ETAG = 'source-etag';

/** What a generated answer says when the original changed under it: neither CloudFront nor a browser keeps it. */
export const STALE_CACHE_CONTROL = 'no-store';

/** The original's current ETag, or `undefined` when it is gone (404, or 403 without s3:ListBucket). */
export async function currentETag(
  client: S3Client,
  bucket: string,
  key: string,
  deadlineMs: number,
): Promise<string | undefined> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: AbortSignal.timeout(deadlineMs),
    });
    return head.ETag;
  } catch (error) {
    const { s3Status } = s3Error(error);
    if (s3Status === 404 || s3Status === 403) return undefined;
    throw error;
  }
}

export interface Written {
  bucket: string;
  /** The variant's key and the ETag S3 gave our write of it. */
  key: string;
  etag: string | undefined;
  /** The original's key and the ETag of the bytes the variant was made from. */
  originalKey: string;
  sourceETag: string | undefined;
}

/**
 * `fresh` when the original is still the one the variant was made from; else the variant is deleted (when it is
 * still our write) and `stale` comes back. Throws only when S3 cannot be read: the caller treats that as stale.
 */
export async function keepIfFresh(client: S3Client, written: Written, deadlineMs: number): Promise<'fresh' | 'stale'> {
  const now = await currentETag(client, written.bucket, written.originalKey, deadlineMs);
  if (now !== undefined && now === written.sourceETag) return 'fresh';
  if (written.etag !== undefined) {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: written.bucket, Key: written.key, IfMatch: written.etag }), {
        abortSignal: AbortSignal.timeout(deadlineMs),
      });
    } catch (error) {
      // 412: someone else's newer write is there now, and it is theirs to check.
      if (s3Error(error).s3Status !== 412) throw error;
    }
  }
  return 'stale';
}

/** The metadata a variant is stored with: its source's ETag, when S3 gave one. */
export function sourceMetadata(sourceETag: string | undefined): Record<string, string> | undefined {
  return sourceETag === undefined ? undefined : { [SOURCE_ETAG]: sourceETag };
}

/** `keepIfFresh` that never throws: when S3 cannot say, `unknown`, which the answer treats as stale. */
export async function freshnessOf(
  client: S3Client,
  written: Written,
  deadlineMs: number,
): Promise<'fresh' | 'stale' | 'unknown'> {
  try {
    return await keepIfFresh(client, written, deadlineMs);
  } catch {
    return 'unknown';
  }
}

/** A generated answer that neither CloudFront nor the browser may keep. */
export function uncacheable(response: CloudFrontResultResponse): CloudFrontResultResponse {
  const headers = { ...response.headers, 'cache-control': [{ key: 'Cache-Control', value: STALE_CACHE_CONTROL }] };
  return { ...response, headers };
}
