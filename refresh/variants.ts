/**
 * Finding one original's variants without listing the bucket. A variant's key is `{dims}/{style}/{path}`: the
 * original's path comes last, so no prefix names one original's variants. But the (dims, style) pairs in use are
 * few and shared by every original, and S3 lists them cheaply with `Delimiter: '/'`: one listing of the top level
 * (the dims folders in use), one per dims folder (its style folders). Every candidate key is then checked with
 * HeadObject, so exactly the variants that exist are invalidated, and all candidates are deleted with
 * DeleteObjects (1,000 keys a request; S3 reports a missing key as deleted), which also removes a variant that
 * appeared between the check and the delete. Requests per purge: 1 + dims in use + pairs in use + 1 per 1,000
 * pairs, plus one page per 1,000 objects at the top level (originals kept at the bucket's root), whatever the
 * number of originals under folders (docs/lifecycle.md has the measured figure).
 */
import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { s3Error } from '../origin-response/s3-origin';
import type { ViewerConfig } from '../shared/config';
import { keyPrefix as behaviourPrefix, parseVariantKey } from '../shared/variant-key';

/** DeleteObjects' documented maximum. */
const DELETE_BATCH = 1000;
/** HeadObject calls in flight at once. */
const PARALLEL_HEADS = 16;
/** Stands in for a path when asking the grammar whether a segment is a dims or a style. */
const PROBE_PATH = 'x.jpg';

/** An original's S3 key, less the origin path's prefix, as the grammar's path: each segment percent-encoded. */
export function encodedPath(relativeKey: string): string {
  return relativeKey.split('/').map(encodeURIComponent).join('/');
}

/** The prefixes under `prefix` one level down (`400w/` → `400w`), every page. */
async function folders(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
    );
    for (const common of page.CommonPrefixes ?? []) {
      if (common.Prefix) names.push(common.Prefix.slice(prefix.length, -1));
    }
    token = page.NextContinuationToken;
  } while (token);
  return names;
}

/**
 * The `{dims}/{style}` pairs that hold at least one object under `keyPrefix` (the origin path's) and the
 * behaviour's own prefix (`images/` for `/images/*`), as the grammar reads them.
 */
export async function pairsInUse(
  client: S3Client,
  bucket: string,
  keyPrefix: string,
  config: ViewerConfig,
): Promise<string[]> {
  const behaviour = behaviourPrefix(config);
  const shaped = (pair: string) => parseVariantKey(`/${behaviour}${pair}/${PROBE_PATH}`, config).kind !== 'not-variant';
  // `bw` is a style in any configuration, so a dims segment shows itself with it (even off the current policy).
  const under = keyPrefix + behaviour;
  const dims = (await folders(client, bucket, under)).filter((d) => shaped(`${encodedSegment(d)}/bw`));
  const pairs: string[] = [];
  for (const d of dims) {
    for (const style of await folders(client, bucket, `${under}${d}/`)) {
      const pair = `${encodedSegment(d)}/${encodedSegment(style)}`;
      if (shaped(pair)) pairs.push(pair);
    }
  }
  return pairs;
}

function encodedSegment(segment: string): string {
  return encodeURIComponent(segment);
}

/**
 * The URIs every variant of the original at `relativeKey` could have among `pairs`: those the grammar reads as a
 * variant key, including ones off today's policy (made under an earlier configuration, still stored).
 */
export function candidateUris(pairs: readonly string[], relativeKey: string, config: ViewerConfig): string[] {
  // An original outside the behaviour's prefix has no variants: the viewer-request never rewrites its URLs.
  const behaviour = behaviourPrefix(config);
  if (!relativeKey.startsWith(behaviour)) return [];
  const rest = encodedPath(relativeKey.slice(behaviour.length));
  return pairs
    .map((pair) => `/${behaviour}${pair}/${rest}`)
    .filter((uri) => parseVariantKey(uri, config).kind !== 'not-variant');
}

/** The S3 key of a variant URI. */
export function uriToKey(uri: string, keyPrefix: string): string {
  return keyPrefix + uri.slice(1).split('/').map(decodeURIComponent).join('/');
}

/** Which of `keys` exist (HeadObject each, a few at a time). */
export async function existing(client: S3Client, bucket: string, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += PARALLEL_HEADS) {
    await Promise.all(
      keys.slice(i, i + PARALLEL_HEADS).map(async (key) => {
        try {
          await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          found.add(key);
        } catch (error) {
          const { s3Status } = s3Error(error);
          if (s3Status !== 404 && s3Status !== 403) throw error;
        }
      }),
    );
  }
  return found;
}

/** Deletes `keys`, 1,000 a request; throws when S3 reports any key it could not delete. */
export async function deleteKeys(client: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH);
    const result = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new Error(
        `S3 could not delete ${failed.length} variant(s), first ${first?.Key}: ${first?.Code} ${first?.Message}`,
      );
    }
  }
}
