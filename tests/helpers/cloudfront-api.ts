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

/** One or many: the parser gives a repeated element as an array and a lone one as itself. */
export type OneOrMany<T> = T | T[];

export function list<T>(value: OneOrMany<T>): T[] {
  return Array.isArray(value) ? value : [value];
}

/** The parts of a parsed configuration the tests read; element text stays a string (parseTagValue is off). */
export interface LambdaAssociationTree {
  EventType: string;
  LambdaFunctionARN: string;
}

export interface BehaviourTree {
  PathPattern?: string;
  LambdaFunctionAssociations?: { Items?: { LambdaFunctionAssociation: OneOrMany<LambdaAssociationTree> } };
  GrpcConfig?: { Enabled: string };
}

export interface OriginTree {
  S3OriginConfig?: { OriginReadTimeout?: string };
  ResponseCompletionTimeout?: string;
  VpcOriginConfig?: { VpcOriginId: string };
}

export interface DistributionConfigTree {
  Comment: string;
  AnycastIpListId?: string;
  ConnectionMode?: string;
  Origins: { Items: { Origin: OneOrMany<OriginTree> } };
  DefaultCacheBehavior: BehaviourTree;
  CacheBehaviors: { Items: { CacheBehavior: OneOrMany<BehaviourTree> } };
}

export interface ConfigTree {
  DistributionConfig: DistributionConfigTree;
}

/** The stored configuration as a tree: element names to values, repeated elements as arrays. */
export function configTree(api: CloudFrontApi, id = DISTRIBUTION_ID): ConfigTree {
  return parser.parse(api.distribution(id).configXml) as ConfigTree;
}

/** The tree's behaviour for a path pattern (`*`: the default one); throws when there is none. */
export function treeBehaviour(tree: ConfigTree, pathPattern: string): BehaviourTree {
  const config = tree.DistributionConfig;
  if (pathPattern === '*') return config.DefaultCacheBehavior;
  const found = list(config.CacheBehaviors.Items.CacheBehavior).find((b) => b.PathPattern === pathPattern);
  if (!found) throw new Error(`The configuration tree has no behaviour for ${pathPattern}`);
  return found;
}

/** The tree with the behaviour's LambdaFunctionAssociations taken out. */
export function withoutAssociations(tree: ConfigTree, pathPattern: string): ConfigTree {
  const copy = structuredClone(tree);
  delete treeBehaviour(copy, pathPattern).LambdaFunctionAssociations;
  return copy;
}

/** The behaviour's Lambda associations in the tree, as `eventType -> ARN`. */
export function treeAssociations(tree: ConfigTree, pathPattern: string): Record<string, string> {
  const items = treeBehaviour(tree, pathPattern).LambdaFunctionAssociations?.Items?.LambdaFunctionAssociation ?? [];
  return Object.fromEntries(list(items).map((a) => [a.EventType, a.LambdaFunctionARN]));
}
