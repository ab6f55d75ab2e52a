/**
 * How Lambda starts node for a function, so the bench's fresh processes start the same way.
 *
 * Lambda's Node runtime starts node from a bootstrap script with flags of its own (as the runtime's published base
 * images show): `--expose-gc`, `--max-http-header-size 81920`, and heap limits from the function's memory (a tenth
 * of it for the young generation, half of that a semi-space; the rest for the old generation). Any V8 flag matters
 * beyond what it says: Node's own modules come with a code cache built into the binary, keyed to V8's flags, so a
 * node started with flags compiles every built-in module it loads (`node:https`, `node:stream`, …) from source.
 * Lambda also turns experimental Node features off (`--no-experimental-require-module` on Node 20
 * and 22, as its documentation says): Node options, not V8's, and already off by default on the Node 20 here, so
 * they are left out.
 *
 * The environment: Lambda@Edge functions cannot have environment variables, and Lambda's Node runtimes from
 * nodejs20.x on no longer set NODE_EXTRA_CA_CERTS (AWS dropped loading extra CA certificates for cold starts'
 * sake). This machine sets it to Debian's whole CA bundle, which Node parses before running anything, on
 * every process start. The children that talk to S3 are given one CA instead, the bench's own, for the
 * HTTPS front before s3rver (bench/tls-front.ts); on Node 20 that makes Node build its root store at start rather
 * than on the first connection, which is the same work at another moment of the same cold start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../local/paths';

export type FunctionName = 'viewerRequest' | 'originResponse';

/** The memory a function is configured with in serverless.yml (MB). */
export function configuredMemoryMb(name: FunctionName): number {
  const yml = readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8');
  const block = yml.slice(yml.indexOf(`\n  ${name}:`));
  const mb = Number(/memorySize:\s*(\d+)/.exec(block)?.[1]);
  if (!Number.isInteger(mb)) throw new Error(`serverless.yml: no memorySize for ${name}`);
  return mb;
}

/** The flags Lambda's bootstrap starts node with for a function of `memoryMb`. */
export function lambdaNodeFlags(memoryMb: number): string[] {
  const youngMb = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    '--max-http-header-size=81920',
    `--max-semi-space-size=${Math.floor(youngMb / 2)}`,
    `--max-old-space-size=${memoryMb - youngMb}`,
  ];
}

/** node's flags for each function, as Lambda starts it with the memory serverless.yml gives that function. */
export const LAMBDA_NODE_FLAGS: Readonly<Record<FunctionName, string[]>> = {
  viewerRequest: lambdaNodeFlags(configuredMemoryMb('viewerRequest')),
  originResponse: lambdaNodeFlags(configuredMemoryMb('originResponse')),
};

/** This process's environment without what Lambda's would not have (see above). */
export function lambdaLikeEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _notOnLambda, ...rest } = env;
  return rest;
}
