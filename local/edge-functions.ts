/**
 * The two functions as Lambda@Edge runs them: the built `dist/` bundles (the same files that get deployed),
 * each invoked with a JSON copy of its event and its answer read back through JSON, under the trigger's timeout.
 */
import type {
  CloudFrontRequestEvent,
  CloudFrontRequestResult,
  CloudFrontResponseEvent,
  CloudFrontResponseResult,
} from 'aws-lambda';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { distFunction } from './paths';

export type ViewerRequestHandler = (event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult>;
export type OriginResponseHandler = (event: CloudFrontResponseEvent) => Promise<CloudFrontResponseResult>;

export interface EdgeFunctions {
  viewerRequest: ViewerRequestHandler;
  originResponse: OriginResponseHandler;
}

/** Module paths of the handlers; the defaults are the built bundles. */
export interface FunctionPaths {
  viewerRequest?: string;
  originResponse?: string;
}

/** Timeouts, from the stricter figures of the Lambda@Edge quotas (viewer 5 s, origin 30 s). */
export const TIMEOUT_MS = { 'viewer-request': 5_000, 'origin-response': 30_000 } as const;

const requireModule = createRequire(import.meta.url);

/**
 * Loads both handlers afresh (a cold start): module state such as the SDK client, which reads its endpoint from
 * the environment when first used, belongs to this stack and not to one started earlier in the same process.
 */
export function loadFunctions(paths: FunctionPaths = {}): EdgeFunctions {
  return {
    viewerRequest: loadHandler(paths.viewerRequest ?? distFunction('viewer-request')) as ViewerRequestHandler,
    originResponse: loadHandler(paths.originResponse ?? distFunction('origin-response')) as OriginResponseHandler,
  };
}

function loadHandler(path: string): unknown {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  const resolved = requireModule.resolve(path);
  delete requireModule.cache[resolved];
  const module = requireModule(resolved) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${path} does not export a handler function`);
  return module.handler;
}

export type Invocation<R> =
  | { kind: 'returned'; result: R; ms: number }
  /** The function threw, rejected, or answered something that is not JSON. CloudFront: 503 / 502. */
  | { kind: 'failed'; error: string; ms: number }
  | { kind: 'timed-out'; ms: number };

/** Runs `handler` on a JSON copy of `event`, as Lambda does, and returns a JSON copy of its answer. */
export async function invoke<E, R>(
  handler: (event: E) => Promise<R>,
  event: E,
  timeoutMs: number,
): Promise<Invocation<R>> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([handler(JSON.parse(JSON.stringify(event)) as E), timeout]);
    if (outcome === 'timeout') return { kind: 'timed-out', ms: ms() };
    const json = JSON.stringify(outcome);
    return { kind: 'returned', result: (json === undefined ? undefined : JSON.parse(json)) as R, ms: ms() };
  } catch (error) {
    return {
      kind: 'failed',
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ms: ms(),
    };
  } finally {
    clearTimeout(timer);
  }
}
