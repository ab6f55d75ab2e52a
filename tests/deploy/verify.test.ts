/**
 * `npm run verify` against the mock CloudFront API and the local stack (s3rver behind the CloudFront emulator
 * running the built pair): it passes when the distribution carries both published versions and the variant is
 * generated, cached and stored; it names the failure, and its fix, on a distribution without the associations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudFrontApi } from '../../local/cloudfront-api';
import { main } from '../../deploy/cli';
import { DISTRIBUTION_ID, startSeededApi } from '../helpers/cloudfront-api';
import { imagesFolder, removeFolder, startTestStack, tempDataDir, type TestStack } from '../helpers/local-stack';

const ARN = (name: string, version: number) =>
  `arn:aws:lambda:us-east-1:123456789012:function:edge-resize-dev-${name}:${version}`;
const OURS = { viewerRequest: ARN('viewerRequest', 4), originResponse: ARN('originResponse', 4) };
const ORIGINAL = 'photos/2019/medium-2mp.jpg';

let stack: TestStack;
let images: string;
let dataDir: string;

beforeAll(async () => {
  images = imagesFolder({ [ORIGINAL]: 'medium-2mp.jpg' });
  dataDir = tempDataDir();
  stack = await startTestStack({ dataDir, images });
});

afterAll(async () => {
  await stack?.stop();
  removeFolder(images);
  removeFolder(dataDir);
});

async function runVerify(api: CloudFrontApi, extra: string[] = []) {
  process.env.AWS_ENDPOINT_URL_CLOUDFRONT = api.endpoint;
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(
    [
      'verify',
      '--url',
      new URL(ORIGINAL, stack.url).href,
      '--param',
      `distributionId=${DISTRIBUTION_ID}`,
      '--param',
      `bucket=${stack.s3.bucket}`,
      '--viewer-arn',
      OURS.viewerRequest,
      '--origin-arn',
      OURS.originResponse,
      ...extra,
    ],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
  );
  return { status, out, err };
}

describe('npm run verify', () => {
  it('passes with both versions attached: a generated miss, then a hit, then the variant in S3', async () => {
    const api = await startSeededApi({
      bucket: stack.s3.bucket,
      defaultAssociations: [
        ['viewer-request', OURS.viewerRequest],
        ['origin-response', OURS.originResponse],
      ],
    });
    try {
      const keysBefore = await stack.s3.client.send(
        new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({ Bucket: stack.s3.bucket }),
      );
      const { status, out, err } = await runVerify(api);
      expect(err).toEqual([]);
      expect(status, out.join('\n')).toBe(0);
      expect(out.every((line) => line.startsWith('ok '))).toBe(true);
      expect(out).toHaveLength(7);
      expect(out.find((l) => l.includes('generated'))).toMatch(/X-Cache: Miss from cloudfront/);
      expect(out.find((l) => l.includes('cached'))).toMatch(/X-Cache: Hit from cloudfront/);
      // The variant it reports is really in the bucket, and was not before.
      const stored = /s3:\/\/[^/]+\/(\S+)/.exec(out.at(-1)!)![1]!;
      expect((keysBefore.Contents ?? []).map((o) => o.Key)).not.toContain(stored);
      expect(stack.records.some((r) => r.key === `/${stored}` && r.originResponse === 'replaced')).toBe(true);
      // Run again, it picks a variant not yet stored and passes again.
      const again = await runVerify(api);
      expect(again.status, again.out.join('\n')).toBe(0);
      expect(again.out.at(-1)).not.toBe(out.at(-1));
      // Only reads were made of the distribution.
      expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
    } finally {
      await api.stop();
    }
  });

  it('names the missing associations and their fix, and sends no request through the distribution', async () => {
    const api = await startSeededApi({ bucket: stack.s3.bucket });
    try {
      const requestsBefore = stack.stats.requests;
      const { status, out } = await runVerify(api);
      expect(status).toBe(1);
      const failures = out.filter((l) => l.startsWith('FAIL'));
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatch(
        /^FAIL {2}viewer-request on "\*" runs nothing, not .*viewerRequest:4; fix: run `npm run deploy`/,
      );
      expect(failures[1]).toMatch(
        /^FAIL {2}origin-response on "\*" runs nothing, not .*originResponse:4; fix: run `npm run deploy`/,
      );
      expect(out.at(-1)).toMatch(/^skip/);
      expect(stack.stats.requests).toBe(requestsBefore);
    } finally {
      await api.stop();
    }
  });

  it('names a behaviour served from another bucket, and a pathPattern with no behaviour', async () => {
    const api = await startSeededApi({
      bucket: 'someone-elses-bucket',
      defaultAssociations: [
        ['viewer-request', OURS.viewerRequest],
        ['origin-response', OURS.originResponse],
      ],
    });
    try {
      const other = await runVerify(api);
      expect(other.status).toBe(1);
      expect(other.out.find((l) => l.startsWith('FAIL'))).toMatch(
        new RegExp(
          'served from someone-elses-bucket\\.s3\\.us-east-1\\.amazonaws\\.com, not bucket .*; ' +
            'fix: deploy with --param bucket=someone-elses-bucket',
        ),
      );
      const missing = await runVerify(api, ['--param', 'pathPattern=/photos/*']);
      expect(missing.status).toBe(1);
      expect(missing.out.at(-1)).toBe(
        'FAIL  no cache behaviour "/photos/*" on E2QWRUHEXAMPLE; fix: --param pathPattern must be one of: ' +
          '*, /images/*, /app/*, /grpc.*',
      );
    } finally {
      await api.stop();
    }
  });
});
