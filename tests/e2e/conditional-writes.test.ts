/**
 * Variants are written with `If-None-Match: *`, and the local S3 refuses such a write to an existing key with
 * 412 as S3 does: a concurrent miss's losing write is answered correctly, and no original or variant is ever
 * replaced, whatever S3 said a moment before.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { CloudFrontResponseEvent, CloudFrontResultResponse } from 'aws-lambda';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractViolations } from '../../local/cloudfront-rules';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { originResponseEvent } from '../helpers/events';
import { photo } from '../helpers/fixtures';
import { sha256, startTestS3, type TestS3 } from '../helpers/s3-stack';

type Handler = (event: CloudFrontResponseEvent) => Promise<unknown>;

const logs: Record<string, unknown>[] = [];
setLogSink((line) => logs.push(JSON.parse(line) as Record<string, unknown>));

let s3: TestS3;
const handler = createOriginResponseHandler(resolveConfig()) as Handler;
/** Every output too large to inline: each miss stores, then redirects. */
const redirecting = createOriginResponseHandler(resolveConfig({ maxGeneratedResponseBytes: 1024 })) as Handler;

const ORIGINALS: Record<string, Buffer> = {
  'cat.jpg': photo('orient6.jpg'),
  'dog.jpg': photo('medium-2mp.jpg'),
  // An original that lives at a path shaped like a variant key.
  '400w/default/cat.jpg': photo('grey.jpg'),
};

beforeAll(async () => {
  s3 = await startTestS3('photos');
  for (const [key, body] of Object.entries(ORIGINALS)) await s3.put(key, body, 'image/jpeg');
});

afterAll(async () => {
  for (const [key, body] of Object.entries(ORIGINALS)) expect(sha256((await s3.get(key))!)).toBe(sha256(body));
  await s3.stop();
});

async function miss(uri: string, via: Handler = handler): Promise<CloudFrontResultResponse> {
  const event = originResponseEvent(uri, { status: '404' });
  const response = (await via(event)) as CloudFrontResultResponse;
  expect(contractViolations(response, 'origin-response', event.Records[0]!.cf.response.headers)).toEqual([]);
  return response;
}

async function etag(key: string): Promise<string | undefined> {
  return (await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).ETag;
}

function storedOutcomes(uri: string): unknown[] {
  return logs
    .filter((line) => line.uri === uri)
    .map((line) => line.stored)
    .sort();
}

describe('a concurrent miss', () => {
  it(
    'two misses of one key at once: one write stored, ' + 'the other refused with 412, both answered the image',
    async () => {
      const uri = '/200w/default/cat.jpg';
      const answers = await Promise.all([miss(uri), miss(uri)]);
      expect(storedOutcomes(uri)).toEqual(['exists', 'stored']);
      const stored = (await s3.get('200w/default/cat.jpg'))!;
      for (const answer of answers) {
        expect(answer.status).toBe('200');
        const bytes = Buffer.from(answer.body!, 'base64');
        expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 200 });
        // The same original and options: the loser's answer is the stored variant, byte for byte.
        expect(sha256(bytes)).toBe(sha256(stored));
      }
    },
  );

  it('too large to inline: both redirect to the one stored variant', async () => {
    const uri = '/400w/default/dog.jpg';
    const answers = await Promise.all([miss(uri, redirecting), miss(uri, redirecting)]);
    expect(storedOutcomes(uri)).toEqual(['exists', 'stored']);
    for (const answer of answers) {
      expect(answer.status).toBe('302');
      expect(answer.headers?.location?.[0]?.value).toBe(uri);
    }
    expect(await sharp(await s3.get('400w/default/dog.jpg')).metadata()).toMatchObject({ width: 400 });
  });
});

describe('nothing is ever replaced', () => {
  it('a variant already stored keeps its bytes and ETag when a stale miss generates it again', async () => {
    const uri = '/100w/default/dog.jpg';
    await miss(uri);
    const bytes = sha256((await s3.get('100w/default/dog.jpg'))!);
    const tag = await etag('100w/default/dog.jpg');
    // S3 said 404 a moment ago (another edge, a replica lag): the second write reaches an existing key.
    const again = await miss(uri);
    expect(again.status).toBe('200');
    expect(logs.at(-1)).toMatchObject({ uri, stored: 'exists' });
    expect(sha256((await s3.get('100w/default/dog.jpg'))!)).toBe(bytes);
    expect(await etag('100w/default/dog.jpg')).toBe(tag);
  });

  it('an original at a variant-shaped key keeps its bytes and ETag when a miss is reported for it', async () => {
    const tag = await etag('400w/default/cat.jpg');
    const response = await miss('/400w/default/cat.jpg');
    expect(response.status).toBe('200');
    expect(logs.at(-1)).toMatchObject({ uri: '/400w/default/cat.jpg', stored: 'exists' });
    expect(sha256((await s3.get('400w/default/cat.jpg'))!)).toBe(sha256(ORIGINALS['400w/default/cat.jpg']!));
    expect(await etag('400w/default/cat.jpg')).toBe(tag);
  });
});
