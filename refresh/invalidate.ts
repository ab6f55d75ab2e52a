/**
 * CloudFront invalidations with exact paths, batched: one CreateInvalidation per 1,000 paths (CloudFront allows
 * 3,000 paths in progress per distribution). The first 1,000 paths a month are free, then each costs $0.005, so a
 * purge's price is its path count (docs/lifecycle.md).
 */
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { randomUUID } from 'node:crypto';

const BATCH = 1000;
/** CloudFront's price per path beyond the free 1,000 a month, in dollars. */
export const PRICE_PER_PATH = 0.005;

let shared: CloudFrontClient | undefined;

/** The container's CloudFront client: us-east-1, the endpoint from `AWS_ENDPOINT_URL_CLOUDFRONT` when set. */
export function cloudFrontClient(): CloudFrontClient {
  shared ??= new CloudFrontClient({ region: 'us-east-1' });
  return shared;
}

/** Sends `paths` (each starting with `/`, percent-encoded) and returns the invalidation ids. */
export async function invalidate(
  client: CloudFrontClient,
  distributionId: string,
  paths: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < paths.length; i += BATCH) {
    const batch = paths.slice(i, i + BATCH);
    const result = await client.send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: randomUUID(), Paths: { Quantity: batch.length, Items: [...batch] } },
      }),
    );
    if (result.Invalidation?.Id) ids.push(result.Invalidation.Id);
  }
  return ids;
}
