/**
 * The refresh function running locally: every object event of the local S3 becomes an S3 event notification in
 * the documented shape (key URL-encoded form-style, bucket ARN, eTag, sequencer) and invokes the built
 * `dist/refresh/index.js`, as S3 invokes the deployed function. Its invalidations go to the mock CloudFront API
 * (local/cloudfront-api.ts) through the real SDK client, and each one recorded there is then applied to the
 * emulator's edge cache, as CloudFront would.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EXISTING_DISTRIBUTION, existingDistributionXml } from './cloudfront-api-seed';
import { startCloudFrontApi, type CloudFrontApi } from './cloudfront-api';
import type { EdgeCache } from './edge-cache';
import { distFunction } from './paths';
import type { S3Server } from './s3-server';
import { encodeEventKey } from '../refresh/events';

type RefreshHandler = (event: unknown) => Promise<unknown>;

export interface RefreshBridge {
  api: CloudFrontApi;
  distributionId: string;
  /** Resolves once every event received so far has been handled and its invalidations applied. */
  idle(): Promise<void>;
  /** Runs the handler on `event` now (a Batch Operations task, a hand-made notification), in turn with the rest. */
  invoke(event: unknown): Promise<unknown>;
  /** Errors the handler threw (what Lambda would retry and then send to the on-failure queue). */
  failures: string[];
  stop(): Promise<void>;
}

const requireModule = createRequire(import.meta.url);

export async function startRefreshBridge(
  s3: S3Server,
  cache: EdgeCache,
  makeHandler: () => RefreshHandler = () => loadHandler(distFunction('refresh')),
): Promise<RefreshBridge> {
  const api = await startCloudFrontApi([
    { ...EXISTING_DISTRIBUTION, configXml: existingDistributionXml({ bucket: s3.bucket }) },
  ]);
  const distributionId = EXISTING_DISTRIBUTION.id;
  // The deployed function's environment (serverless.refresh.yml), and the SDK's endpoint override for CloudFront.
  process.env.AWS_ENDPOINT_URL_CLOUDFRONT = api.endpoint;
  process.env.EDGE_RESIZE_DISTRIBUTION_ID = distributionId;
  const handler = makeHandler();
  const failures: string[] = [];
  let applied = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const applyInvalidations = () => {
    const all = api.distribution(distributionId).invalidations;
    for (const invalidation of all.slice(applied)) for (const p of invalidation.paths) cache.invalidate(p);
    applied = all.length;
  };
  const run = (event: unknown): Promise<unknown> => {
    const done = queue.then(() => handler(JSON.parse(JSON.stringify(event))));
    queue = done
      .catch((error: unknown) => {
        failures.push(error instanceof Error ? error.message : String(error));
      })
      .finally(applyInvalidations);
    return done;
  };
  const unsubscribe = s3.onObjectEvent((record) => {
    const notification = {
      Records: [
        {
          ...record,
          eventVersion: '2.1',
          s3: {
            ...record.s3,
            bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${record.s3.bucket.name}` },
            object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key) },
          },
        },
      ],
    };
    run(notification).catch(() => {});
  });
  return {
    api,
    distributionId,
    async idle() {
      let seen;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
    invoke: run,
    failures,
    async stop() {
      unsubscribe();
      await queue;
      await api.stop();
    },
  };
}

function loadHandler(path: string): RefreshHandler {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  const resolved = requireModule.resolve(path);
  delete requireModule.cache[resolved];
  const module = requireModule(resolved) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${path} does not export a handler function`);
  return module.handler as RefreshHandler;
}
