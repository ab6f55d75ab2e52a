/**
 * S3's own errors on the function's GetObject, against a real s3rver: a mistyped bucket (404 NoSuchBucket) is
 * logged at ERROR and a refusal (403, here s3rver's InvalidAccessKeyId for a key it does not know) at WARN, each
 * with S3's status and error code and counted as an S3Error metric; a plain missing original (404 NoSuchKey) stays
 * an INFO line with no metric. Every one of them passes S3's answer through unchanged.
 */
import type { CloudFrontResponseEvent, CloudFrontResultResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { originResponseEvent } from '../helpers/events';
import { photo } from '../helpers/fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

type Handler = (event: CloudFrontResponseEvent) => Promise<CloudFrontResultResponse>;
const handler = createOriginResponseHandler(resolveConfig()) as Handler;

const logs: Record<string, unknown>[] = [];
setLogSink((line) => logs.push(JSON.parse(line) as Record<string, unknown>));

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3('photos');
  await s3.put('cat.jpg', photo('medium-2mp.jpg'), 'image/jpeg');
});
afterAll(async () => {
  await s3?.stop();
});

/** Runs one miss; returns the response, the function's log line and the EMF objects it wrote. */
async function miss(domainName: string, uri: string, region?: string) {
  const event = originResponseEvent(uri, { status: '403', domainName, ...(region ? { region } : {}) });
  const before = JSON.stringify(event.Records[0]!.cf.response);
  const emf: Record<string, any>[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n'))
      if (line.includes('"_aws"')) emf.push(JSON.parse(line) as Record<string, any>);
    return true;
  }) as typeof process.stdout.write;
  logs.length = 0;
  let response: CloudFrontResultResponse;
  try {
    response = await handler(event);
  } finally {
    process.stdout.write = write;
  }
  return { response, unchanged: JSON.stringify(response) === before, log: logs.at(-1)!, emf };
}

describe("S3 errors on the function's own GetObject", () => {
  it('a mistyped bucket: ERROR with 404 NoSuchBucket, counted', async () => {
    const { unchanged, log, emf } = await miss('photoz.s3.us-east-1.amazonaws.com', '/400w/default/cat.jpg');
    expect(unchanged).toBe(true);
    expect(log).toMatchObject({
      level: 'ERROR',
      outcome: 's3-refused',
      bucket: 'photoz',
      s3Status: 404,
      s3Code: 'NoSuchBucket',
    });
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ S3Error: 1, Operation: 'GetObject', Code: 'NoSuchBucket' });
    expect(await s3.exists('400w/default/cat.jpg')).toBe(false);
  });

  it("a refusal: WARN with 403 and S3's code, counted", async () => {
    // A client made now (a region not used before) with an access key s3rver does not know: S3 answers 403.
    const key = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEDGERESIZEDENIED';
    let result;
    try {
      result = await miss('photos.s3.eu-west-3.amazonaws.com', '/400w/default/cat.jpg', 'eu-west-3');
    } finally {
      process.env.AWS_ACCESS_KEY_ID = key;
    }
    expect(result.unchanged).toBe(true);
    expect(result.log).toMatchObject({
      level: 'WARN',
      outcome: 's3-refused',
      s3Status: 403,
      s3Code: 'InvalidAccessKeyId',
    });
    expect(result.emf).toHaveLength(1);
    expect(result.emf[0]).toMatchObject({ S3Error: 1, Operation: 'GetObject', Code: 'InvalidAccessKeyId' });
  });

  it('a missing original: INFO with 404 NoSuchKey, not counted as an S3 error', async () => {
    const { unchanged, log, emf } = await miss('photos.s3.us-east-1.amazonaws.com', '/400w/default/no-such-cat.jpg');
    expect(unchanged).toBe(true);
    expect(log).toMatchObject({ level: 'INFO', outcome: 'original-missing', s3Status: 404, s3Code: 'NoSuchKey' });
    expect(emf).toEqual([]);
  });

  it('the same handler still generates from the right bucket', async () => {
    const { response, log, emf } = await miss('photos.s3.us-east-1.amazonaws.com', '/400w/default/cat.jpg');
    expect(response.status).toBe('200');
    expect(log).toMatchObject({ level: 'INFO', outcome: 'generated', stored: 'stored' });
    expect(emf.map((m) => m.S3Error)).toEqual([undefined]);
  });
});
