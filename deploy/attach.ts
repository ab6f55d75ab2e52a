/**
 * Attaching and detaching our pair with the CloudFront API (SDK v3, whose model knows every current field):
 * read the configuration and its ETag, change only our associations on one behaviour, send the whole configuration
 * back in ONE UpdateDistribution with If-Match (both functions at once: never a viewer-request without its
 * origin-response), re-read on 412 and start over, then read the result and check nothing else changed.
 */
import {
  GetDistributionConfigCommand, UpdateDistributionCommand, type CloudFrontClient, type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { isDeepStrictEqual } from 'node:util';
import {
  differencesBeyondAssociations, DeployRefused, findBehaviour, ourAssociations, withoutOurAssociations, withOurAssociations,
  type OurFunctions,
} from './associations';

export interface Target {
  client: CloudFrontClient;
  distributionId: string;
  pathPattern: string;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
  /** UpdateDistribution tries, each after a fresh read, when someone else changed the distribution (412). */
  attempts?: number;
  /** Pause before a retry. */
  retryDelayMs?: number;
}

export interface ChangeResult {
  changed: boolean;
  /** UpdateDistribution calls made (the last one succeeded). */
  updates: number;
}

/** Thrown when the distribution, read back after the update, differs in more than our associations. */
export class DeployCheckFailed extends Error {
  override name = 'DeployCheckFailed';
}

export function attach(target: Target, ours: OurFunctions): Promise<ChangeResult> {
  return changeAssociations(target, 'attach', (config) => withOurAssociations(config, target.pathPattern, ours, target.distributionId));
}

/** Removes the associations of our two functions (`names`, any version) from the behaviour; nothing else. */
export function detach(target: Target, names: Record<keyof OurFunctions, string>): Promise<ChangeResult> {
  return changeAssociations(target, 'detach', (config) => withoutOurAssociations(config, target.pathPattern, names, target.distributionId));
}

/** The names serverless gives our functions: `<service>-<stage>-viewerRequest` and `-originResponse`. */
export function ourFunctionNames(stage: string, service = 'edge-resize'): Record<keyof OurFunctions, string> {
  return { viewerRequest: `${service}-${stage}-viewerRequest`, originResponse: `${service}-${stage}-originResponse` };
}

async function changeAssociations(target: Target, what: string, plan: (config: DistributionConfig) => DistributionConfig): Promise<ChangeResult> {
  const { client, distributionId: Id, pathPattern } = target;
  const log = target.log ?? (() => {});
  const attempts = target.attempts ?? 5;
  for (let update = 1; ; update += 1) {
    const read = await client.send(new GetDistributionConfigCommand({ Id }));
    const before = read.DistributionConfig;
    if (!before || !read.ETag) throw new Error(`GetDistributionConfig for ${Id} returned no configuration or no ETag`);
    const next = plan(before);
    if (isDeepStrictEqual(next, before)) {
      log(`${what}: distribution ${Id}, behaviour "${pathPattern}" already as wanted; nothing sent`);
      return { changed: false, updates: update - 1 };
    }
    try {
      await client.send(new UpdateDistributionCommand({ Id, IfMatch: read.ETag, DistributionConfig: next }));
    } catch (error) {
      if ((error as { name?: string }).name === 'PreconditionFailed' && update < attempts) {
        log(`${what}: distribution ${Id} changed while we read it (412); reading it again (${update}/${attempts})`);
        await new Promise((resolve) => setTimeout(resolve, target.retryDelayMs ?? 2000));
        continue;
      }
      throw error;
    }
    await checkResult(target, before, next);
    log(`${what}: distribution ${Id}, behaviour "${pathPattern}" updated; nothing else changed`);
    return { changed: true, updates: update };
  }
}

/** Reads the distribution back: our associations as sent, every other field as it was before. */
async function checkResult(target: Target, before: DistributionConfig, sent: DistributionConfig): Promise<void> {
  const { client, distributionId: Id, pathPattern } = target;
  const after = (await client.send(new GetDistributionConfigCommand({ Id }))).DistributionConfig;
  if (!after) throw new DeployCheckFailed(`GetDistributionConfig for ${Id} returned nothing after the update`);
  const others = differencesBeyondAssociations(before, after, pathPattern);
  const wanted = ourAssociations(findBehaviour(sent, pathPattern));
  const found = ourAssociations(findBehaviour(after, pathPattern));
  if (others.length > 0 || !isDeepStrictEqual(wanted, found)) {
    throw new DeployCheckFailed(`distribution ${Id} read back after the update differs from what was sent in `
      + `${[...others, ...(isDeepStrictEqual(wanted, found) ? [] : ['our associations'])].join(', ')}; someone may have `
      + 'changed it at the same time: compare it in the console, and run `npm run detach` to take our associations off');
  }
}

export { DeployRefused };
