/**
 * S3's own errors on the function's GetObject and PutObject, against a real s3rver: a mistyped bucket (404
 * NoSuchBucket) is logged at ERROR and a refusal (403: s3rver's InvalidAccessKeyId for a key it does not know, or
 * AccessDenied from a bucket policy) at WARN, each with S3's status and error code and counted as an S3Error
 * metric; a plain missing original (404 NoSuchKey) stays an INFO line with no metric. s3rver has no bucket
 * policies, so the policy is a front on loopback that answers what S3 answers a denied call (403, AccessDenied,
 * S3's XML error) and passes every other call to s3rver.
 */
import type { CloudFrontResponseEvent, CloudFrontResultResponse } from 'aws-lambda';
import { createServer, request } from 'node:http';
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

/** s3rver behind a bucket policy that denies the function `deniedMethod` (GET: s3:GetObject, PUT: s3:PutObject). */
async function startPolicyFront(target: string, deniedMethod: 'GET' | 'PUT') {
  const server = createServer((req, res) => {
    if (req.method === deniedMethod) {
      req.resume();
      res.writeHead(403, { 'Content-Type': 'application/xml', 'x-amz-request-id': '4442587FB7D0A2F9' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>' +
          '<RequestId>4442587FB7D0A2F9</RequestId><HostId>edge-resize-test</HostId></Error>',
      );
      return;
    }
    const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

/** A miss in a region not used before (so the handler makes a new client), with S3 behind a denying policy. */
async function missBehindPolicy(deniedMethod: 'GET' | 'PUT', region: string, uri: string) {
  const front = await startPolicyFront(s3.endpoint, deniedMethod);
  const endpoint = process.env.AWS_ENDPOINT_URL_S3;
  process.env.AWS_ENDPOINT_URL_S3 = front.endpoint;
  try {
    return await miss(`photos.s3.${region}.amazonaws.com`, uri, region);
  } finally {
    process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    front.server.closeAllConnections();
    await new Promise((resolve) => front.server.close(resolve));
  }
}

/** Runs one miss; returns the response, the function's log line and the EMF objects it wrote. */
async function miss(domainName: string, uri: string, region?: string) {
  const event = originResponseEvent(uri, { status: '404', domainName, ...(region ? { region } : {}) });
  const before = JSON.stringify(event.Records[0]!.cf.response);
  const emf: Record<string, unknown>[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n'))
      if (line.includes('"_aws"')) emf.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  };
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

  it('a bucket policy denying the read: WARN with 403 AccessDenied, counted', async () => {
    const { unchanged, log, emf } = await missBehindPolicy('GET', 'ca-central-1', '/400w/default/cat.jpg');
    expect(unchanged).toBe(true);
    expect(log).toMatchObject({ level: 'WARN', outcome: 's3-refused', s3Status: 403, s3Code: 'AccessDenied' });
    expect(emf).toEqual([expect.objectContaining({ S3Error: 1, Operation: 'GetObject', Code: 'AccessDenied' })]);
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

describe("S3 errors on the function's own PutObject", () => {
  it('a bucket policy denying the write: the variant is answered, with a WARN naming 403 AccessDenied', async () => {
    const uri = '/200w/default/cat.jpg';
    const { response, log, emf } = await missBehindPolicy('PUT', 'sa-east-1', uri);
    expect(response.status).toBe('200');
    expect(log).toMatchObject({ level: 'WARN', outcome: 'generated', stored: 'failed' });
    expect(log).toMatchObject({ putStatus: 403, putCode: 'AccessDenied' });
    const counted: unknown = expect.objectContaining({ S3Error: 1, Operation: 'PutObject', Code: 'AccessDenied' });
    expect(emf.filter((m) => m.S3Error)).toEqual([counted]);
    expect(emf.filter((m) => m.VariantGenerated)).toEqual([expect.objectContaining({ VariantStored: 0 })]);
    expect(await s3.exists(uri.slice(1))).toBe(false);
  });
});
