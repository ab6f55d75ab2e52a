/**
 * Puts pictures from a folder into the local bucket, recursively, each under its relative path
 * (`holiday/2019/beach.jpg`), behind the behaviour's key prefix when `pathPattern` has one (`images/holiday/...`).
 * Only files with an image extension; never overwrites what the bucket already has.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import mime from 'mime';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { EdgeConfig } from '../shared/config';
import { hasImageExtension } from '../shared/image-path';
import { keyPrefix, parseVariantKey } from '../shared/variant-key';
import { listKeys, objectExists } from './s3-objects';
import type { S3Server } from './s3-server';

export interface SeedResult {
  uploaded: number;
  /** Already in the bucket, left as they were. */
  present: number;
  /** Image files whose path reads as a variant key (`400w/default/x.jpg`): the product would never serve them. */
  ignored: string[];
}

/** `my cat.jpg` → `my%20cat.jpg`: the URI a viewer would send for an S3 key. */
export function keyToUri(key: string): string {
  return `/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** True for a key that is an original picture under the behaviour's prefix, not a variant the function stored. */
export function isOriginalKey(key: string, config: EdgeConfig): boolean {
  const uri = keyToUri(key);
  return (
    key.startsWith(keyPrefix(config)) && hasImageExtension(uri) && parseVariantKey(uri, config).kind === 'not-variant'
  );
}

export async function seedImages(s3: S3Server, folder: string, config: EdgeConfig): Promise<SeedResult> {
  const result: SeedResult = { uploaded: 0, present: 0, ignored: [] };
  // The prefix is in the one encoding that reads the same decoded (shared/path-pattern.ts): an S3 key as it is.
  const prefix = keyPrefix(config);
  for (const file of imageFiles(folder)) {
    const key = prefix + file;
    if (!isOriginalKey(key, config)) {
      result.ignored.push(file);
      continue;
    }
    if (await exists(s3, key)) {
      result.present += 1;
      continue;
    }
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: key,
        Body: readFileSync(join(folder, file)),
        ContentType: mime.getType(key) ?? 'application/octet-stream',
      }),
    );
    result.uploaded += 1;
  }
  return result;
}

/** Relative paths (with `/`) of the image files under `folder`, hidden files and folders left out, sorted. */
function imageFiles(folder: string): string[] {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${folder} is not a folder`);
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((path) => path.split(sep).join('/'))
    .filter((key) => !key.split('/').some((segment) => segment.startsWith('.')))
    .filter((key) => hasImageExtension(key) && statSync(join(folder, key)).isFile())
    .sort();
}

function exists(s3: S3Server, key: string): Promise<boolean> {
  return objectExists(s3.client, s3.bucket, key);
}

/** Every original in the bucket, sorted (variants left out). */
export async function listOriginals(s3: S3Server, config: EdgeConfig): Promise<string[]> {
  return (await listKeys(s3.client, s3.bucket)).filter((key) => isOriginalKey(key, config));
}
