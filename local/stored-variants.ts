/**
 * Every object in the bucket under a variant key, read back and decoded with sharp, against the size and
 * format its key names (worked out from the original's own size, `expected-size.ts`), never against what the
 * function said it made.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { EdgeConfig } from '../shared/config';
import { decodePath } from '../shared/image-path';
import { sourceFormat } from '../shared/options';
import { parseVariantKey } from '../shared/variant-key';
import { expectedSize, sizeProblem, type PixelSize } from './expected-size';
import type { StoredCheck } from './load-report';
import type { S3Server } from './s3-server';
import { listKeys } from './s3-objects';
import { keyToUri } from './seed';

/** Objects read and decoded at once: enough to overlap S3 and libvips, few enough to stay light. */
const PARALLEL = 4;
/** sharp's name of each output format (AVIF lives in a HEIF container). */
const SHARP_FORMAT: Readonly<Record<string, string>> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'heif',
  gif: 'gif',
  tiff: 'tiff',
};

/** `originals`: each original's S3 key → its size as shown (after EXIF orientation). */
export async function checkStoredVariants(
  s3: S3Server,
  config: EdgeConfig,
  originals: ReadonlyMap<string, PixelSize>,
): Promise<StoredCheck[]> {
  const keys = (await listKeys(s3.client, s3.bucket)).filter(
    (key) => parseVariantKey(keyToUri(key), config).kind !== 'not-variant',
  );
  const checks: StoredCheck[] = [];
  for (let i = 0; i < keys.length; i += PARALLEL) {
    checks.push(...(await Promise.all(keys.slice(i, i + PARALLEL).map((key) => checkOne(s3, key, config, originals)))));
  }
  return checks;
}

async function checkOne(
  s3: S3Server,
  s3Key: string,
  config: EdgeConfig,
  originals: ReadonlyMap<string, PixelSize>,
): Promise<StoredCheck> {
  const key = keyToUri(s3Key);
  const parsed = parseVariantKey(key, config);
  if (parsed.kind !== 'variant')
    return {
      key,
      problem:
        `is stored under a key the functions refuse ` +
        `(${parsed.kind === 'invalid' ? parsed.reason : 'not a variant'})`,
    };
  const { options, path } = parsed.variant;
  const original = originals.get(decodePath(path));
  if (!original) return { key, problem: `has no original ${decodePath(path)}` };
  const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: s3Key }));
  const body = Buffer.from(await object.Body!.transformToByteArray());
  let meta;
  try {
    meta = await sharp(body).metadata();
  } catch (error) {
    return { key, problem: `does not decode: ${error instanceof Error ? error.message : String(error)}` };
  }
  // An animated variant stacks its frames: one frame's height is the image's.
  const actual = { width: meta.width, height: meta.pageHeight ?? meta.height };
  const format = meta.format as string;
  const expectedFormat = SHARP_FORMAT[options.format ?? sourceFormat(path)];
  const problem =
    format !== expectedFormat
      ? `is ${format}, expected ${expectedFormat}`
      : sizeProblem(actual, expectedSize(options, original));
  return { key, format, ...actual, ...(problem ? { problem } : {}) };
}
