/** Invalidations against the mock CloudFront API with the real SDK v3 client: exact paths, batched. */
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudFrontApi } from '../../local/cloudfront-api';
import { invalidate } from '../../refresh/invalidate';
import { cloudFrontClient, DISTRIBUTION_ID, startSeededApi } from '../helpers/cloudfront-api';

let api: CloudFrontApi | undefined;
afterEach(async () => {
  await api?.stop();
  api = undefined;
});

describe('invalidate', () => {
  it('sends every path exactly once, in batches of at most 1,000, and returns one id per batch', async () => {
    api = await startSeededApi({ bucket: 'photos' });
    const paths = Array.from({ length: 2345 }, (_, i) => `/400w/default/photo%20${i}.jpg`);
    const ids = await invalidate(cloudFrontClient(api), DISTRIBUTION_ID, paths);
    const sent = api.distribution(DISTRIBUTION_ID).invalidations;
    expect(sent).toHaveLength(Math.ceil(paths.length / 1000));
    expect(ids).toEqual(sent.map((i) => i.id));
    expect(sent.flatMap((i) => i.paths)).toEqual(paths);
    for (const batch of sent) expect(batch.paths.length).toBeLessThanOrEqual(1000);
    expect(new Set(sent.map((i) => i.callerReference)).size).toBe(sent.length);
  });

  it('sends nothing for no paths', async () => {
    api = await startSeededApi({ bucket: 'photos' });
    expect(await invalidate(cloudFrontClient(api), DISTRIBUTION_ID, [])).toEqual([]);
    expect(api.distribution(DISTRIBUTION_ID).invalidations).toEqual([]);
  });
});
