/**
 * The one change our deploy makes to a distribution, as pure functions over the configuration that
 * GetDistributionConfig returned: set or remove our two Lambda@Edge associations on one cache behaviour, and tell
 * whether anything else differs between two configurations.
 */
import type {
  CacheBehavior, DefaultCacheBehavior, DistributionConfig, EventType, LambdaFunctionAssociation,
} from '@aws-sdk/client-cloudfront';

export type Behaviour = DefaultCacheBehavior | CacheBehavior;

/** Our pair: the event each function runs on, and its published version ARN. */
export interface OurFunctions {
  viewerRequest: string;
  originResponse: string;
}

/** A refusal before anything was changed, with what to do about it. */
export class DeployRefused extends Error {
  override name = 'DeployRefused';
}

const EVENTS: readonly [keyof OurFunctions, EventType][] = [['viewerRequest', 'viewer-request'], ['originResponse', 'origin-response']];

/** The behaviour a pathPattern names: `*` is the default behaviour, anything else must equal a PathPattern. */
export function findBehaviour(config: DistributionConfig, pathPattern: string): Behaviour | undefined {
  if (pathPattern === '*') return config.DefaultCacheBehavior;
  return config.CacheBehaviors?.Items?.find((behaviour) => behaviour.PathPattern === pathPattern);
}

/** The behaviour, or a refusal that lists the patterns the distribution has. */
export function requireBehaviour(config: DistributionConfig, pathPattern: string, distributionId: string): Behaviour {
  const behaviour = findBehaviour(config, pathPattern);
  if (behaviour) return behaviour;
  const patterns = ['*', ...(config.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern ?? '')].map((p) => `"${p}"`).join(', ');
  throw new DeployRefused(`distribution ${distributionId} has no cache behaviour with pathPattern "${pathPattern}" `
    + `(it has ${patterns}): nothing was changed; fix --param pathPattern, or create the behaviour first`);
}

/** `edge-resize-dev-viewerRequest` from `arn:aws:lambda:us-east-1:123456789012:function:edge-resize-dev-viewerRequest:7`. */
export function functionName(arn: string | undefined): string | undefined {
  return /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:([\w-]+)(?::[\w$-]+)?$/.exec(arn ?? '')?.[1];
}

/** The configuration with our two version ARNs on the behaviour, all its other associations as they were. */
export function withOurAssociations(config: DistributionConfig, pathPattern: string, ours: OurFunctions, distributionId: string): DistributionConfig {
  for (const [key] of EVENTS) {
    if (!/:\d+$/.test(ours[key])) throw new DeployRefused(`${key} ARN ${ours[key]} is not a numbered version: Lambda@Edge needs one`);
  }
  const next = structuredClone(config);
  const behaviour = requireBehaviour(next, pathPattern, distributionId);
  const items = [...(behaviour.LambdaFunctionAssociations?.Items ?? [])];
  for (const [key, eventType] of EVENTS) {
    const held = items.findIndex((a) => a.EventType === eventType);
    const current = items[held];
    if (current && functionName(current.LambdaFunctionARN) !== functionName(ours[key])) {
      throw new DeployRefused(`the "${pathPattern}" behaviour already runs ${current.LambdaFunctionARN} on ${eventType}: nothing was `
        + 'changed; remove that association yourself, or deploy to a behaviour of its own');
    }
    const cloudFrontFunction = behaviour.FunctionAssociations?.Items?.find((f) => f.EventType === eventType);
    if (cloudFrontFunction) {
      throw new DeployRefused(`the "${pathPattern}" behaviour runs the CloudFront Function ${cloudFrontFunction.FunctionARN} on `
        + `${eventType}, and CloudFront allows one function per event: nothing was changed; move it, or use another behaviour`);
    }
    const association: LambdaFunctionAssociation = { LambdaFunctionARN: ours[key], EventType: eventType, IncludeBody: false };
    if (held === -1) items.push(association);
    else items[held] = association;
  }
  behaviour.LambdaFunctionAssociations = { Quantity: items.length, Items: items };
  return next;
}

/**
 * The configuration without our associations on the behaviour: those whose event is ours and whose function is
 * one of `names` (any version). Everything else stays.
 */
export function withoutOurAssociations(config: DistributionConfig, pathPattern: string, names: Record<keyof OurFunctions, string>, distributionId: string): DistributionConfig {
  const next = structuredClone(config);
  const behaviour = requireBehaviour(next, pathPattern, distributionId);
  const ours = (a: LambdaFunctionAssociation) => EVENTS.some(([key, eventType]) => a.EventType === eventType && functionName(a.LambdaFunctionARN) === names[key]);
  const items = (behaviour.LambdaFunctionAssociations?.Items ?? []).filter((a) => !ours(a));
  behaviour.LambdaFunctionAssociations = items.length === 0 ? { Quantity: 0 } : { Quantity: items.length, Items: items };
  return next;
}

/** Our associations on the behaviour, by event, as the configuration holds them. */
export function ourAssociations(behaviour: Behaviour | undefined): Partial<Record<keyof OurFunctions, string>> {
  const found: Partial<Record<keyof OurFunctions, string>> = {};
  for (const [key, eventType] of EVENTS) {
    const arn = behaviour?.LambdaFunctionAssociations?.Items?.find((a) => a.EventType === eventType)?.LambdaFunctionARN;
    if (arn) found[key] = arn;
  }
  return found;
}

/**
 * The fields (as dotted paths) in which `a` and `b` differ, the behaviour's LambdaFunctionAssociations left out.
 * An absent list and an empty one (`Quantity: 0`, no `Items`) are the same configuration to CloudFront.
 */
export function differencesBeyondAssociations(a: DistributionConfig, b: DistributionConfig, pathPattern: string): string[] {
  const strip = (config: DistributionConfig) => {
    const copy = structuredClone(config);
    const behaviour = findBehaviour(copy, pathPattern);
    if (behaviour) delete behaviour.LambdaFunctionAssociations;
    return copy;
  };
  return differences(strip(a), strip(b), 'DistributionConfig');
}

function differences(a: unknown, b: unknown, path: string): string[] {
  if (Object.is(a, b)) return [];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return [path];
  if (Array.isArray(a) !== Array.isArray(b)) return [path];
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  const names = new Set([...Object.keys(recordA), ...Object.keys(recordB)]);
  return [...names].flatMap((name) => (recordA[name] === undefined && recordB[name] === undefined ? []
    : differences(recordA[name], recordB[name], Array.isArray(a) ? `${path}[${name}]` : `${path}.${name}`)));
}
