/**
 * Attaching the pair to a distribution that already serves, against the mock CloudFront API with the real SDK v3
 * client: every field of the stored configuration XML, parsed as a tree, stays as it was but the associations of
 * the one behaviour; refusals change nothing; a concurrent change (412) is read again and kept.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudFrontApi } from '../../local/cloudfront-api';
import { DeployRefused } from '../../deploy/associations';
import { attach, detach, ourFunctionNames } from '../../deploy/attach';
import { startCloudFormationApi } from '../helpers/cloudformation-api';
import { credentialFreeEnv, ROOT, runNode } from '../helpers/package-artifacts';
import {
  cloudFrontClient,
  configTree,
  DISTRIBUTION_ID,
  list,
  startSeededApi,
  treeAssociations,
  withoutAssociations,
  type DistributionConfigTree,
} from '../helpers/cloudfront-api';

const ARN = (name: string, version: number) =>
  `arn:aws:lambda:us-east-1:123456789012:function:edge-resize-dev-${name}:${version}`;
const OURS = { viewerRequest: ARN('viewerRequest', 7), originResponse: ARN('originResponse', 9) };
const SOMEONE_ELSES = 'arn:aws:lambda:us-east-1:123456789012:function:auth-at-edge:12';

let api: CloudFrontApi | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

async function seeded(defaultAssociations: [string, string][] = []) {
  api = await startSeededApi({ bucket: 'photos', defaultAssociations });
  return { api, client: cloudFrontClient(api), before: configTree(api) };
}

const puts = (mock: CloudFrontApi) => mock.requests.filter((r) => r.method === 'PUT');

/** The environment a user's shell gives the deploy commands, with the SDK pointed at the mock. */
function cliEnv(mock: CloudFrontApi): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ENDPOINT_URL_CLOUDFRONT: mock.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

describe('attach', () => {
  for (const pathPattern of ['*', '/images/*']) {
    it(`changes nothing but the associations of the "${pathPattern}" behaviour, both in one update`, async () => {
      const { api: mock, client, before } = await seeded();
      const result = await attach({ client, distributionId: DISTRIBUTION_ID, pathPattern, retryDelayMs: 0 }, OURS);
      expect(result).toEqual({ changed: true, updates: 1 });
      expect(puts(mock)).toHaveLength(1);
      const after = configTree(mock);
      expect(withoutAssociations(after, pathPattern)).toEqual(withoutAssociations(before, pathPattern));
      expect(treeAssociations(after, pathPattern)).toEqual({
        'viewer-request': OURS.viewerRequest,
        'origin-response': OURS.originResponse,
      });
      // The fields the aws-sdk v2 model lacks are in what was stored.
      const config = after.DistributionConfig;
      expect(config.AnycastIpListId).toBe('aip_0123456789abcdef');
      const origins = list(config.Origins.Items.Origin);
      expect(origins[0]?.S3OriginConfig?.OriginReadTimeout).toBe('45');
      expect(origins[0]?.ResponseCompletionTimeout).toBe('90');
      expect(origins[2]?.VpcOriginConfig?.VpcOriginId).toBe('vo_0123456789abcdef0');
      expect(list(config.CacheBehaviors.Items.CacheBehavior)[2]?.GrpcConfig?.Enabled).toBe('true');
    });
  }

  it("keeps another function's association and replaces an older version of ours", async () => {
    const {
      api: mock,
      client,
      before,
    } = await seeded([
      ['origin-request', SOMEONE_ELSES],
      ['viewer-request', ARN('viewerRequest', 3)],
    ]);
    await attach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '*' }, OURS);
    const after = configTree(mock);
    expect(withoutAssociations(after, '*')).toEqual(withoutAssociations(before, '*'));
    expect(treeAssociations(after, '*')).toEqual({
      'origin-request': SOMEONE_ELSES,
      'viewer-request': OURS.viewerRequest,
      'origin-response': OURS.originResponse,
    });
  });

  it('sends nothing when the associations are already there', async () => {
    const { api: mock, client } = await seeded([
      ['viewer-request', OURS.viewerRequest],
      ['origin-response', OURS.originResponse],
    ]);
    const etag = mock.distribution(DISTRIBUTION_ID).etag;
    expect(await attach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '*' }, OURS)).toEqual({
      changed: false,
      updates: 0,
    });
    expect(puts(mock)).toEqual([]);
    expect(mock.distribution(DISTRIBUTION_ID).etag).toBe(etag);
  });

  it('refuses a pathPattern that matches no behaviour, naming the ones there are, and changes nothing', async () => {
    const { api: mock, client } = await seeded();
    const { configXml, etag } = mock.distribution(DISTRIBUTION_ID);
    const attempt = attach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '/photos/*' }, OURS);
    await expect(attempt).rejects.toThrow(DeployRefused);
    await expect(attempt).rejects.toThrow(/no cache behaviour with pathPattern "\/photos\/\*".*"\/images\/\*"/);
    expect(puts(mock)).toEqual([]);
    expect(mock.distribution(DISTRIBUTION_ID)).toMatchObject({ configXml, etag });
  });

  it('refuses a behaviour whose events are taken by another function or a CloudFront Function', async () => {
    const { api: mock, client } = await seeded([['origin-response', SOMEONE_ELSES]]);
    const etag = mock.distribution(DISTRIBUTION_ID).etag;
    await expect(attach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '*' }, OURS)).rejects.toThrow(
      /auth-at-edge:12 on origin-response/,
    );
    await expect(attach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '/app/*' }, OURS)).rejects.toThrow(
      /CloudFront Function .*spa-rewrite/,
    );
    expect(puts(mock)).toEqual([]);
    expect(mock.distribution(DISTRIBUTION_ID).etag).toBe(etag);
  });

  it('reads the distribution again after a 412 and keeps the change someone else made meanwhile', async () => {
    const { api: mock, client, before } = await seeded();
    let raced = false;
    mock.beforeUpdate = (id) => {
      if (raced) return;
      raced = true;
      const current = mock.distribution(id).configXml;
      mock.replaceConfig(
        id,
        current.replace(
          '<Comment>shop frontend and product images</Comment>',
          '<Comment>edited in the console</Comment>',
        ),
      );
    };
    const lines: string[] = [];
    const result = await attach(
      { client, distributionId: DISTRIBUTION_ID, pathPattern: '*', retryDelayMs: 0, log: (l) => lines.push(l) },
      OURS,
    );
    expect(result).toEqual({ changed: true, updates: 2 });
    expect(puts(mock).map((r) => r.status)).toEqual([412, 200]);
    expect(lines.some((l) => l.includes('412'))).toBe(true);
    const after = configTree(mock);
    expect(after.DistributionConfig.Comment).toBe('edited in the console');
    const expected = withoutAssociations(before, '*');
    expected.DistributionConfig.Comment = 'edited in the console';
    expect(withoutAssociations(after, '*')).toEqual(expected);
    expect(treeAssociations(after, '*')).toEqual({
      'viewer-request': OURS.viewerRequest,
      'origin-response': OURS.originResponse,
    });
  });

  it('gives up after its tries when the distribution keeps changing, leaving it as the other writer did', async () => {
    const { api: mock, client } = await seeded();
    mock.beforeUpdate = (id) => mock.replaceConfig(id, mock.distribution(id).configXml);
    await expect(
      attach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '*', attempts: 3, retryDelayMs: 0 }, OURS),
    ).rejects.toMatchObject({ name: 'PreconditionFailed' });
    expect(puts(mock).map((r) => r.status)).toEqual([412, 412, 412]);
    expect(treeAssociations(configTree(mock), '*')).toEqual({});
  });
});

describe('the attach step of npm run deploy', () => {
  it("reads the published versions from the stack's outputs and attaches them, as deploy runs it", async () => {
    const { api: mock, before } = await seeded();
    const prod = {
      viewerRequest: ARN('viewerRequest', 7).replace('-dev-', '-prod-'),
      originResponse: ARN('originResponse', 9).replace('-dev-', '-prod-'),
    };
    const stacks = await startCloudFormationApi({
      'edge-resize-prod': {
        ViewerRequestLambdaFunctionQualifiedArn: prod.viewerRequest,
        OriginResponseLambdaFunctionQualifiedArn: prod.originResponse,
        ServerlessDeploymentBucketName: 'edge-resize-prod-serverlessdeploymentbucket-1a2b3c',
      },
    });
    try {
      const env = { ...cliEnv(mock), AWS_ENDPOINT_URL_CLOUDFORMATION: stacks.endpoint };
      const args = ['scripts/serverless.mjs', 'attach', '--param', `distributionId=${DISTRIBUTION_ID}`];
      const run = await runNode([...args, '--stage', 'prod', '--param', 'pathPattern=/images/*'], ROOT, env);
      expect(run.status, run.stderr).toBe(0);
      const after = configTree(mock);
      expect(withoutAssociations(after, '/images/*')).toEqual(withoutAssociations(before, '/images/*'));
      expect(treeAssociations(after, '/images/*')).toEqual({
        'viewer-request': prod.viewerRequest,
        'origin-response': prod.originResponse,
      });
      // A stage never deployed has no stack: nothing is sent.
      const none = await runNode([...args, '--stage', 'qa'], ROOT, env);
      expect(none.status).toBe(2);
      expect(none.stderr).toMatch(/refused: stack edge-resize-qa in us-east-1 is missing .*check --stage/);
      expect(puts(mock)).toHaveLength(1);
    } finally {
      await stacks.stop();
    }
  });
});

describe('detach', () => {
  it('removes exactly our two associations and nothing else', async () => {
    const { api: mock, client, before } = await seeded([['origin-request', SOMEONE_ELSES]]);
    await attach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '*' }, OURS);
    expect(Object.keys(treeAssociations(configTree(mock), '*'))).toHaveLength(3);
    const result = await detach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '*' }, ourFunctionNames('dev'));
    expect(result.changed).toBe(true);
    expect(configTree(mock)).toEqual(before);
  });

  it("leaves a distribution without our associations untouched, and another stage's associations too", async () => {
    const { api: mock, client, before } = await seeded([['viewer-request', ARN('viewerRequest', 2)]]);
    const result = await detach(
      { client, distributionId: DISTRIBUTION_ID, pathPattern: '*' },
      ourFunctionNames('prod'),
    );
    expect(result).toEqual({ changed: false, updates: 0 });
    expect(puts(mock)).toEqual([]);
    expect(configTree(mock)).toEqual(before);
  });

  it("as `npm run detach` runs it: bundled, with the user's --param options, the SDK's endpoint setting", async () => {
    const { api: mock, client, before } = await seeded([['origin-request', SOMEONE_ELSES]]);
    await attach({ client, distributionId: DISTRIBUTION_ID, pathPattern: '*' }, OURS);
    const args = [
      'scripts/serverless.mjs',
      'detach',
      '--param',
      `distributionId=${DISTRIBUTION_ID}`,
      '--param',
      'pathPattern=*',
    ];
    const run = await runNode(args, ROOT, cliEnv(mock));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/detach: distribution E2QWRUHEXAMPLE, behaviour "\*" updated; nothing else changed/);
    expect(configTree(mock)).toEqual(before);
  });

  it('refuses a pathPattern that matches no behaviour', async () => {
    const { api: mock, client } = await seeded();
    await expect(
      detach({ client, distributionId: DISTRIBUTION_ID, pathPattern: 'images/*' }, ourFunctionNames('dev')),
    ).rejects.toThrow(DeployRefused);
    expect(puts(mock)).toEqual([]);
  });
});

describe("the plugin's own update, driven against the same mock (why it is switched off)", () => {
  /** An aws-sdk v2 service client: each operation returns a request that promise() sends. */
  type V2Service = Record<string, (params: unknown) => { promise(): Promise<unknown> }>;
  type PluginClass = new (
    serverless: unknown,
    options: object,
  ) => { hooks: { 'after:aws:deploy:finalize:cleanup': () => Promise<void> } };

  /** serverless-lambda-edge-pre-existing-cloudfront's deploy hook, with Serverless 3's aws-sdk v2 as its provider. */
  async function runPluginHook(mock: CloudFrontApi, custom: unknown) {
    const require = createRequire(import.meta.url);
    process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
    const AWS = require('aws-sdk') as { CloudFront: new (options: object) => V2Service };
    const Plugin = require('serverless-lambda-edge-pre-existing-cloudfront') as PluginClass;
    const cloudFront = new AWS.CloudFront({
      endpoint: mock.endpoint,
      region: 'us-east-1',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'x',
      maxRetries: 0,
    });
    const functions: Record<string, unknown> = Object.fromEntries(
      ['viewerRequest', 'originResponse'].map((name) => [
        name,
        {
          name: `edge-resize-dev-${name}`,
          events: [
            {
              preExistingCloudFront: {
                distributionId: DISTRIBUTION_ID,
                eventType: name === 'viewerRequest' ? 'viewer-request' : 'origin-response',
                pathPattern: '*',
                includeBody: false,
              },
            },
          ],
        },
      ]),
    );
    const provider = {
      getRegion: () => 'us-east-1',
      getStage: () => 'dev',
      async request(service: string, method: string, params: Record<string, unknown>) {
        if (service === 'CloudFront') return await cloudFront[method]!(params).promise();
        const functionName = String(params.FunctionName);
        // The newest published version, as Lambda's ListVersionsByFunction lists it (oldest first).
        return {
          Versions: [
            { FunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}:$LATEST` },
            { FunctionArn: OURS[functionName.split('-').at(-1) as keyof typeof OURS] },
          ],
          NextMarker: null,
        };
      },
    };
    const serverless = {
      getProvider: () => provider,
      service: {
        service: 'edge-resize',
        provider: { stage: 'dev' },
        custom,
        getAllFunctions: () => Object.keys(functions),
        getFunction: (name: string) => functions[name],
      },
      cli: { consoleLog: () => {} },
    };
    await new Plugin(serverless, {}).hooks['after:aws:deploy:finalize:cleanup']();
  }

  it('left running, it loses the fields its SDK model does not know', async () => {
    const { api: mock, before } = await seeded();
    await runPluginHook(mock, undefined);
    const after = configTree(mock).DistributionConfig;
    expect(treeAssociations(configTree(mock), '*')).toEqual({
      'viewer-request': OURS.viewerRequest,
      'origin-response': OURS.originResponse,
    });
    const lost = (tree: DistributionConfigTree) => [
      tree.AnycastIpListId,
      tree.ConnectionMode,
      list(tree.Origins.Items.Origin)[0]?.S3OriginConfig?.OriginReadTimeout,
      list(tree.Origins.Items.Origin)[0]?.ResponseCompletionTimeout,
      list(tree.Origins.Items.Origin)[2]?.VpcOriginConfig,
      list(tree.CacheBehaviors.Items.CacheBehavior)[2]?.GrpcConfig,
    ];
    expect(lost(before.DistributionConfig).every((value) => value !== undefined)).toBe(true);
    expect(lost(after)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it("with serverless.yml's validStages: [] it sends nothing", async () => {
    const { api: mock } = await seeded();
    await runPluginHook(mock, { lambdaEdgePreExistingCloudFront: { validStages: [] } });
    expect(mock.requests).toEqual([]);
  });
});

describe('the pathPattern check made when packaging', () => {
  it('npm run package refuses such a pattern before building anything', async () => {
    const args = [
      'scripts/serverless.mjs',
      'package',
      '--param',
      `distributionId=${DISTRIBUTION_ID}`,
      '--param',
      'bucket=photos',
    ];
    const run = await runNode([...args, '--param', 'pathPattern=/images/*.jpg'], ROOT, credentialFreeEnv());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('refused: pathPattern "/images/*.jpg" must be "*" or "/prefix/*"');
    expect(run.stdout).not.toMatch(/Packaging|bytes/);
  });
});
