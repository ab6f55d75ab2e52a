/**
 * The mock CloudFront API itself, driven by the real SDK v3 client: the errors CloudFront answers (unknown
 * distribution, missing If-Match), GetDistribution's ETag, and invalidations recorded path by path.
 */
import {
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetInvalidationCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudFrontApi } from '../../local/cloudfront-api';
import { cloudFrontClient, DISTRIBUTION_ID, startSeededApi } from '../helpers/cloudfront-api';

let api: CloudFrontApi;
beforeAll(async () => {
  api = await startSeededApi({ bucket: 'photos' });
});
afterAll(async () => {
  await api?.stop();
});

describe('the mock CloudFront API', () => {
  it('answers GetDistribution with the configuration, its status and the current ETag', async () => {
    const client = cloudFrontClient(api);
    const got = await client.send(new GetDistributionCommand({ Id: DISTRIBUTION_ID }));
    expect(got.ETag).toBe(api.distribution(DISTRIBUTION_ID).etag);
    expect(got.Distribution).toMatchObject({
      Id: DISTRIBUTION_ID,
      Status: 'Deployed',
      DomainName: api.distribution(DISTRIBUTION_ID).domainName,
    });
    const config = (await client.send(new GetDistributionConfigCommand({ Id: DISTRIBUTION_ID }))).DistributionConfig;
    expect(got.Distribution?.DistributionConfig).toEqual(config);
  });

  it('names an unknown distribution and an update without If-Match as CloudFront does', async () => {
    const client = cloudFrontClient(api);
    await expect(client.send(new GetDistributionConfigCommand({ Id: 'ENOSUCHTHING' }))).rejects.toMatchObject({
      name: 'NoSuchDistribution',
    });
    const config = (await client.send(new GetDistributionConfigCommand({ Id: DISTRIBUTION_ID }))).DistributionConfig!;
    const etag = api.distribution(DISTRIBUTION_ID).etag;
    await expect(
      client.send(new UpdateDistributionCommand({ Id: DISTRIBUTION_ID, DistributionConfig: config })),
    ).rejects.toMatchObject({ name: 'InvalidIfMatchVersion', $metadata: { httpStatusCode: 400 } });
    await expect(
      client.send(
        new UpdateDistributionCommand({ Id: DISTRIBUTION_ID, IfMatch: 'ESTALE', DistributionConfig: config }),
      ),
    ).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    expect(api.distribution(DISTRIBUTION_ID).etag).toBe(etag);
  });

  it("records every invalidation's paths, and refuses a wildcard before the end of a path", async () => {
    const client = cloudFrontClient(api);
    const paths = ['/400w/default/photos/cat.jpg', '/800w/webp/photos/cat.jpg', '/photos/dogs/*'];
    const created = await client.send(
      new CreateInvalidationCommand({
        DistributionId: DISTRIBUTION_ID,
        InvalidationBatch: { CallerReference: 'purge-cat-1', Paths: { Quantity: paths.length, Items: paths } },
      }),
    );
    expect(created.Invalidation?.Id).toMatch(/^I[A-Z0-9]+$/);
    const read = await client.send(
      new GetInvalidationCommand({ DistributionId: DISTRIBUTION_ID, Id: created.Invalidation!.Id! }),
    );
    expect(read.Invalidation?.InvalidationBatch?.Paths?.Items).toEqual(paths);
    expect(api.distribution(DISTRIBUTION_ID).invalidations.map((i) => i.paths)).toEqual([paths]);
    await expect(
      client.send(
        new CreateInvalidationCommand({
          DistributionId: DISTRIBUTION_ID,
          InvalidationBatch: { CallerReference: 'purge-2', Paths: { Quantity: 1, Items: ['/*/default/cat.jpg'] } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
    expect(api.distribution(DISTRIBUTION_ID).invalidations).toHaveLength(1);
  });
});
