/**
 * Making the configured variants of one original ahead of its first viewer, with the origin-response's own
 * modules: the same read, the same sharp pipeline, the same conditional write (`If-None-Match: *`, so a variant a
 * viewer already made is left alone) and the same freshness check afterwards.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { freshnessOf, sourceMetadata } from '../origin-response/freshness';
import { readOriginal, storeVariant } from '../origin-response/s3-origin';
import { transform, UnprocessableImage } from '../origin-response/transform';
import { canonicalize } from '../shared/canonical';
import type { EdgeConfig } from '../shared/config';
import { isIdentity, sourceFormat } from '../shared/options';
import { negotiableFormats } from '../shared/policy';
import { formatVariantKey, keyPrefix, parseVariantKey } from '../shared/variant-key';
import { encodedPath, existing, uriToKey } from './variants';

/**
 * The URIs `config.pregenerate` names for one original. An entry without a format also gives each format
 * negotiation may pick for the original (`negotiableFormats`), since that is what browsers' requests become.
 */
export function pregenerateUris(relativeKey: string, config: EdgeConfig): string[] {
  const path = encodedPath(relativeKey);
  // An original outside the behaviour's prefix is not served through it: nothing to make ahead.
  if (!path.startsWith(keyPrefix(config))) return [];
  const source = sourceFormat(path);
  const uris = new Set<string>();
  for (const entry of config.pregenerate) {
    const formats = entry.format === undefined ? [undefined, ...negotiableFormats(source, config)] : [entry.format];
    for (const format of formats) {
      const options = canonicalize({ ...entry, styles: entry.styles ?? [], format }, source, config);
      if (isIdentity(options)) continue;
      const uri = formatVariantKey({ options, path }, config);
      if (parseVariantKey(uri, config).kind === 'variant') uris.add(uri);
    }
  }
  return [...uris];
}

export interface Pregenerated {
  made: number;
  /** Already there (a viewer, or an earlier run, made them). */
  present: number;
  /** Why none could be made (the original is missing, too large or not an image we read), when so. */
  refused?: string;
}

export async function pregenerate(
  client: S3Client,
  bucket: string,
  keyPrefix: string,
  relativeKey: string,
  config: EdgeConfig,
): Promise<Pregenerated> {
  const uris = pregenerateUris(relativeKey, config);
  const keys = uris.map((uri) => uriToKey(uri, keyPrefix));
  const present = await existing(client, bucket, keys);
  const missing = uris.filter((_, i) => !present.has(keys[i]!));
  const result: Pregenerated = { made: 0, present: present.size };
  if (missing.length === 0) return result;
  const originalKey = keyPrefix + relativeKey;
  const original = await readOriginal(client, bucket, originalKey, config.maxInputBytes, config.s3DeadlineMs);
  if (original.kind !== 'found')
    return { ...result, refused: original.kind === 'missing' ? 'the original is gone' : 'the original is too large' };
  for (const uri of missing) {
    const parsed = parseVariantKey(uri, config);
    if (parsed.kind !== 'variant') continue;
    let image;
    try {
      image = await transform(original.body, parsed.variant.options, config);
    } catch (error) {
      if (error instanceof UnprocessableImage) return { ...result, refused: error.reason };
      throw error;
    }
    const target = {
      bucket,
      key: uriToKey(uri, keyPrefix),
      contentType: image.contentType,
      cacheControl: config.variantCacheControl,
      metadata: sourceMetadata(original.etag),
    };
    const write = await storeVariant(client, target, image.data, config.s3DeadlineMs);
    if (write.kind === 'failed') throw write.error;
    if (write.kind === 'exists') {
      result.present += 1;
      continue;
    }
    const written = { bucket, key: target.key, etag: write.etag, originalKey, sourceETag: original.etag };
    // Replaced while we worked: what we wrote is gone again, and the newer original's own event makes its set.
    if ((await freshnessOf(client, written, config.s3DeadlineMs)) !== 'fresh') return result;
    result.made += 1;
  }
  return result;
}
