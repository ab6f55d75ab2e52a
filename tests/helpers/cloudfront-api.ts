/**
 * The mock CloudFront API for tests: a distribution seeded as a user would have it, the real SDK v3 client pointed
 * at it, and the stored configuration parsed as an XML tree (never as the strings a test wrote).
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { XMLParser } from 'fast-xml-parser';
import { startCloudFrontApi, type CloudFrontApi } from '../../local/cloudfront-api';
import { EXISTING_DISTRIBUTION, existingDistributionXml, type SeedOptions } from '../../local/cloudfront-api-seed';

export const DISTRIBUTION_ID = EXISTING_DISTRIBUTION.id;

export async function startSeededApi(seed: SeedOptions): Promise<CloudFrontApi> {
  return startCloudFrontApi([{ ...EXISTING_DISTRIBUTION, configXml: existingDistributionXml(seed) }]);
}

export function cloudFrontClient(api: CloudFrontApi): CloudFrontClient {
  return new CloudFrontClient({
    endpoint: api.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
  });
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: true });

/** The stored configuration as a tree: element names to values, repeated elements as arrays. */
export function configTree(api: CloudFrontApi, id = DISTRIBUTION_ID): any {
  return parser.parse(api.distribution(id).configXml);
}

/** The tree's behaviour for a path pattern (`*`: the default one). */
export function treeBehaviour(tree: any, pathPattern: string): any {
  const config = tree.DistributionConfig;
  if (pathPattern === '*') return config.DefaultCacheBehavior;
  const items = config.CacheBehaviors.Items.CacheBehavior;
  return (Array.isArray(items) ? items : [items]).find((b: any) => b.PathPattern === pathPattern);
}

/** The tree with the behaviour's LambdaFunctionAssociations taken out. */
export function withoutAssociations(tree: any, pathPattern: string): any {
  const copy = structuredClone(tree);
  delete treeBehaviour(copy, pathPattern).LambdaFunctionAssociations;
  return copy;
}

/** The behaviour's Lambda associations in the tree, as `eventType -> ARN`. */
export function treeAssociations(tree: any, pathPattern: string): Record<string, string> {
  const items = treeBehaviour(tree, pathPattern).LambdaFunctionAssociations?.Items?.LambdaFunctionAssociation ?? [];
  return Object.fromEntries((Array.isArray(items) ? items : [items]).map((a: any) => [a.EventType, a.LambdaFunctionARN]));
}
