/**
 * The variant of URL X is made from the object S3 serves at X and stored at the key S3 looks up for the variant's
 * URL, `+` included: S3 reads `+` in a path as a space, and the local S3 does too. Through the whole local stack.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photo } from '../helpers/fixtures';
import { startSeededStack, type SeededStack } from '../helpers/local-stack';

// Two different pictures, so an answer shows which original it was made from.
const IMAGES = { 'a b.jpg': 'orient6.jpg', 'a+b.jpg': 'medium-2mp.jpg' };

let stack: SeededStack;

beforeAll(async () => {
  stack = await startSeededStack(IMAGES);
});

afterAll(async () => {
  await stack?.stop();
});

/** An original's size at width 400, from its fixture's header (after EXIF orientation). */
async function expectedAt400(key: keyof typeof IMAGES): Promise<{ width: number; height: number }> {
  const { autoOrient } = await sharp(photo(IMAGES[key])).metadata();
  return { width: 400, height: Math.round((autoOrient.height * 400) / autoOrient.width) };
}

async function keys(): Promise<string[]> {
  const listed = await stack.s3.client.send(new ListObjectsV2Command({ Bucket: stack.s3.bucket }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

describe.each([
  ['/a+b.jpg?width=400', 'a b.jpg'],
  ['/a%20b.jpg?width=400', 'a b.jpg'],
  ['/a%2Bb.jpg?width=400', 'a+b.jpg'],
] as const)('%s', (url, original) => {
  const variantKey = `400w/default/${original}`;

  it(`is made from "${original}" and stored at "${variantKey}"`, async () => {
    stack.clearCache();
    const answer = await stack.request(url);
    expect(answer.status).toBe(200);
    const meta = await sharp(answer.body).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual(await expectedAt400(original));
    expect(await keys()).toContain(variantKey);
    // Only originals and variants of the two originals: nothing at a key S3 never serves for these URLs.
    expect(
      (await keys())
        .filter((key) => !Object.keys(IMAGES).includes(key))
        .every((key) => key === '400w/default/a b.jpg' || key === '400w/default/a+b.jpg'),
    ).toBe(true);
  });

  it('is served by S3 on the next request, not generated again', async () => {
    stack.clearCache();
    const answer = await stack.request(url);
    expect(answer.status).toBe(200);
    expect(stack.records.at(-1)).toMatchObject({ cache: 'Miss', originStatus: 200, originResponse: 'passed' });
    const meta = await sharp(answer.body).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual(await expectedAt400(original));
  });
});
