/** The deploy commands' entry point, called as scripts/serverless.mjs calls it, against the mock CloudFront API. */
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudFrontApi } from '../../local/cloudfront-api';
import { main } from '../../deploy/cli';
import {
  configTree,
  DISTRIBUTION_ID,
  startSeededApi,
  treeAssociations,
  withoutAssociations,
} from '../helpers/cloudfront-api';

const ARN = (name: string, version: number) =>
  `arn:aws:lambda:us-east-1:123456789012:function:edge-resize-dev-${name}:${version}`;

let api: CloudFrontApi | undefined;
const saved = { ...process.env };
afterEach(async () => {
  await api?.stop();
  api = undefined;
  process.env = { ...saved };
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out, err };
}

describe('deploy cli', () => {
  it(
    'refuses an unknown command, a missing distribution ' + 'and a bad pattern with status 2, sending nothing',
    async () => {
      expect(await run(['rebuild', '--param', 'distributionId=E1'])).toMatchObject({
        status: 2,
        err: [expect.stringMatching(/unknown command "rebuild"/)],
      });
      expect(await run(['attach'])).toMatchObject({ status: 2, err: [expect.stringMatching(/distributionId/)] });
      const pattern = '/images/*.jpg';
      const bad = await run(['check-pattern', '--param', `pathPattern=${pattern}`]);
      expect(bad.status).toBe(2);
      expect(bad.err.join('\n')).toContain(`"${pattern}"`);
      expect((await run(['check-pattern', '--param', 'pathPattern=/images/*'])).status).toBe(0);
    },
  );

  it('attaches the versions given with --viewer-arn and --origin-arn to the behaviour named', async () => {
    api = await startSeededApi({ bucket: 'photos' });
    process.env.AWS_ENDPOINT_URL_CLOUDFRONT = api.endpoint;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'x';
    const before = configTree(api);
    const ours = { 'viewer-request': ARN('viewerRequest', 4), 'origin-response': ARN('originResponse', 5) };
    const result = await run([
      'attach',
      '--param',
      `distributionId=${DISTRIBUTION_ID}`,
      '--param',
      'pathPattern=/images/*',
      '--viewer-arn',
      ours['viewer-request'],
      '--origin-arn',
      ours['origin-response'],
    ]);
    expect(result.status, result.err.join('\n')).toBe(0);
    expect(treeAssociations(configTree(api), '/images/*')).toEqual(ours);
    expect(withoutAssociations(configTree(api), '/images/*')).toEqual(withoutAssociations(before, '/images/*'));
  });
});
