/**
 * The deploy commands that run on the user's machine (scripts/serverless.mjs bundles and runs this file):
 *   attach  [--param distributionId=... --param pathPattern=...] [--viewer-arn A --origin-arn B]
 *   detach  [--param distributionId=... --param pathPattern=...]
 *   verify  --url https://<domain>/<an original> [--param distributionId=... --param bucket=... ...]
 *   check-pattern [--param pathPattern=...]
 * `--stage` (default dev) names the stack and the functions. Without `--viewer-arn`/`--origin-arn`, the published
 * version ARNs come from the stack's outputs. The CloudFront endpoint can be overridden with
 * AWS_ENDPOINT_URL_CLOUDFRONT, as for any SDK v3 client.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { setLogSink } from '../shared/log';
import config from '../shared/resolved-config';
import { createViewerRequestHandler } from '../viewer-request/handler';
import { DeployRefused, type OurFunctions } from './associations';
import { attach, DeployCheckFailed, detach, ourFunctionNames } from './attach';
import { behaviourPrefix } from '../shared/path-pattern';
import { verify } from './verify';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const REGION = 'us-east-1';
const SERVICE = 'edge-resize';

/** Runs one command; the exit status (0 done, 1 a check failed or AWS said no, 2 refused before any change). */
export async function main(argv: string[], io: Io = { out: console.log, err: console.error }): Promise<number> {
  const [command, ...rest] = argv;
  const params = paramsOf(rest);
  const stage = option(rest, '--stage') ?? option(rest, '-s') ?? 'dev';
  // The behaviour's pattern: the param, else edge-resize.config.ts's (`*` by default), as packaging takes it.
  const pathPattern = params.pathPattern ?? config.pathPattern;
  const distributionId = params.distributionId;
  try {
    if (command === 'check-pattern' || command === 'verify') {
      const check = behaviourPrefix(pathPattern);
      if (!check.ok) throw new DeployRefused(check.reason);
      if (command === 'check-pattern') return 0;
    }
    if (!distributionId) throw new DeployRefused('give --param distributionId=E...: the distribution to change');
    const cloudFront = new CloudFrontClient({ region: REGION });
    const target = { client: cloudFront, distributionId, pathPattern, log: io.out };
    if (command === 'attach') {
      await attach(target, await publishedVersions(rest, stage));
      return 0;
    }
    if (command === 'detach') {
      await detach(target, ourFunctionNames(stage, SERVICE));
      io.out('detach: done; `npm run remove` succeeds once CloudFront has deleted the replicas, which takes hours');
      return 0;
    }
    if (command === 'verify') {
      if (!params.bucket) {
        throw new DeployRefused('give --param bucket=...: the bucket the behaviour should be served from');
      }
      const url = option(rest, '--url');
      // The viewer-request logs a line per request; verify prints its own.
      setLogSink(() => {});
      const checks = await verify({
        cloudFront,
        distributionId,
        pathPattern,
        bucket: params.bucket,
        expected: await publishedVersions(rest, stage),
        // The deployed viewer-request's logic, with the prefix the packaging baked in from the same pattern.
        viewerRequest: createViewerRequestHandler({ ...config, pathPattern }),
        ...(url ? { url } : {}),
      });
      for (const check of checks) io.out(check.line);
      return checks.every((check) => check.ok) ? 0 : 1;
    }
    throw new DeployRefused(`unknown command "${command ?? ''}": attach, detach, verify or check-pattern`);
  } catch (error) {
    if (error instanceof DeployRefused) {
      io.err(`refused: ${error.message}`);
      return 2;
    }
    io.err(error instanceof DeployCheckFailed ? `check failed: ${error.message}` : `failed: ${errorText(error)}`);
    return 1;
  }
}

/** The two published version ARNs: from the options, else from the stack's outputs (serverless writes them). */
async function publishedVersions(argv: string[], stage: string): Promise<OurFunctions> {
  const viewerArn = option(argv, '--viewer-arn');
  const originArn = option(argv, '--origin-arn');
  if (viewerArn && originArn) return { viewerRequest: viewerArn, originResponse: originArn };
  const stackName = `${SERVICE}-${stage}`;
  const client = new CloudFormationClient({ region: REGION });
  const stack = await client.send(new DescribeStacksCommand({ StackName: stackName })).then(
    (answer) => answer.Stacks?.[0],
    (error: unknown) => {
      // CloudFormation's answer for a stack that does not exist.
      if ((error as { name?: string }).name === 'ValidationError') return undefined;
      throw error;
    },
  );
  const output = (name: string) => stack?.Outputs?.find((o) => o.OutputKey === name)?.OutputValue;
  const viewerRequest = output('ViewerRequestLambdaFunctionQualifiedArn');
  const originResponse = output('OriginResponseLambdaFunctionQualifiedArn');
  if (!viewerRequest || !originResponse) {
    throw new DeployRefused(
      `stack ${stackName} in ${REGION} is missing or has no published version outputs: check --stage, or run ` +
        '`npm run deploy` first',
    );
  }
  return { viewerRequest, originResponse };
}

/** `--param name=value` (or `--param=name=value`) pairs. */
function paramsOf(argv: string[]): Record<string, string> {
  const pairs = argv.flatMap((arg, i) =>
    arg === '--param' ? [argv[i + 1] ?? ''] : arg.startsWith('--param=') ? [arg.slice(8)] : [],
  );
  return Object.fromEntries(
    pairs.filter((p) => p.includes('=')).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
}

/** The value of `--name value` or `--name=value`, if given. */
function option(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i]?.startsWith(`${name}=`)) return argv[i]!.slice(name.length + 1);
  }
  return undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Run as a command (the bundle), not when imported by tests. */
if (process.argv[1] && /deploy\/cli\.(mjs|ts)$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
