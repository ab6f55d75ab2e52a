/**
 * The local S3 answers as AWS's S3 does where the functions depend on it: a `PutObject` with `If-None-Match: *`
 * is refused with 412 when the key exists, atomically, and `+` in a URL path is a space. Through the real SDK
 * client, and through plain HTTP as CloudFront's origin fetch sends it.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3PathDecoding } from '../../local/s3-server';
import { photo } from '../helpers/fixtures';
import { sha256, startTestS3, type TestS3 } from '../helpers/s3-stack';

let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3('photos');
});
afterAll(() => s3.stop());

function conditionalPut(key: string, body: Buffer) {
  return s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body, IfNoneMatch: '*' }));
}

async function etag(key: string): Promise<string | undefined> {
  return (await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).ETag;
}

/** A GET with the path exactly as given, no client encoding: what CloudFront's origin fetch sends. */
async function rawGet(path: string): Promise<{ status: number; body: string }> {
  const answer = await fetch(`${s3.endpoint}/${s3.bucket}${path}`);
  return { status: answer.status, body: await answer.text() };
}

describe('conditional writes (If-None-Match: *)', () => {
  it('stores a new key, then answers 412 PreconditionFailed and keeps the bytes and ETag', async () => {
    const first = photo('orient6.jpg');
    await conditionalPut('cond/a.jpg', first);
    const before = await etag('cond/a.jpg');
    const refused = await conditionalPut('cond/a.jpg', photo('grey.jpg')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(S3ServiceException);
    expect((refused as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    expect((refused as S3ServiceException).name).toBe('PreconditionFailed');
    expect(sha256((await s3.get('cond/a.jpg'))!)).toBe(sha256(first));
    expect(await etag('cond/a.jpg')).toBe(before);
  });

  it('gives exactly one 200 and one 412 to two concurrent writes of one key, and keeps the winner', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `race/${round}.jpg`;
      const bodies = [photo('orient6.jpg'), photo('grey.jpg')];
      const outcomes = await Promise.allSettled(bodies.map((body) => conditionalPut(key, body)));
      const won = outcomes.findIndex((o) => o.status === 'fulfilled');
      const lost = outcomes
        .filter((o) => o.status === 'rejected')
        .map((o) => (o.reason as S3ServiceException).$metadata.httpStatusCode);
      expect(won).toBeGreaterThanOrEqual(0);
      expect(lost).toEqual([412]);
      expect(sha256((await s3.get(key))!)).toBe(sha256(bodies[won]!));
    }
  });

  it('still lets a plain PutObject replace an object, as S3 does', async () => {
    await s3.put('plain.txt', Buffer.from('one'));
    await s3.put('plain.txt', Buffer.from('two'));
    expect((await s3.get('plain.txt'))!.toString()).toBe('two');
  });
});

describe('S3 reads + in a URL path as a space', () => {
  beforeAll(async () => {
    await s3.put('a b.txt', Buffer.from('space'));
    await s3.put('a+b.txt', Buffer.from('plus'));
  });

  it('serves key "a b.txt" at /a+b.txt and at /a%20b.txt, and key "a+b.txt" at /a%2Bb.txt', async () => {
    expect(await rawGet('/a+b.txt')).toEqual({ status: 200, body: 'space' });
    expect(await rawGet('/a%20b.txt')).toEqual({ status: 200, body: 'space' });
    expect(await rawGet('/a%2Bb.txt')).toEqual({ status: 200, body: 'plus' });
  });

  it("keeps the SDK client's keys as they are (it sends a plus as %2B)", async () => {
    const got = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'a+b.txt' }));
    expect(await got.Body!.transformToString()).toBe('plus');
  });

  it('decodes only the path, never the query string', () => {
    expect(s3PathDecoding('/photos/a+b.jpg?prefix=a+b')).toBe('/photos/a%20b.jpg?prefix=a+b');
    expect(s3PathDecoding('/photos/?prefix=a+b')).toBe('/photos/?prefix=a+b');
    expect(s3PathDecoding('/photos/a%2Bb.jpg')).toBe('/photos/a%2Bb.jpg');
  });
});
