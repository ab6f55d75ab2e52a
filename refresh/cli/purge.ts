/**
 * `npm run purge -- --bucket B --distribution-id D cat.jpg [more keys]`: for a takedown, deletes every variant of
 * each original from S3 and invalidates exactly those that existed, with the refresh function's own code, on this
 * machine's credentials. The original itself is left alone (delete it first, or after, as the case needs).
 */
import { parseArgs } from 'node:util';
import userConfig from '../../edge-resize.config';
import { commandLine, failCommand } from '../../local/cli-options';
import { resolveConfig } from '../../shared/config';
import { createRefreshHandler } from '../handler';
import { PRICE_PER_PATH } from '../invalidate';

const USAGE = `usage: npm run purge -- --bucket NAME [--distribution-id ID] [--origin-path /P] KEY...
  --bucket           the images bucket (the SDK's usual credentials and region)
  --distribution-id  the CloudFront distribution to invalidate (without it only S3 is purged)
  --origin-path      the distribution's origin path, when its S3 origin has one`;

async function main(): Promise<void> {
  let keys: string[] = [];
  const { values } = commandLine('purge', USAGE, () => {
    const parsed = parseArgs({
      allowPositionals: true,
      options: {
        bucket: { type: 'string' },
        'distribution-id': { type: 'string' },
        'origin-path': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    keys = parsed.positionals;
    return parsed;
  });
  if (values.help) return console.log(USAGE);
  const bucket = values.bucket;
  if (bucket === undefined || keys.length === 0) failCommand('purge', `--bucket and a key are required\n${USAGE}`);
  const path = (values['origin-path'] ?? '').replace(/^\/+|\/+$/g, '');
  const distributionId = values['distribution-id'];
  const handler = createRefreshHandler(resolveConfig(userConfig), {
    distributionId,
    keyPrefix: path ? `${path}/` : '',
  });
  const answer = await handler({
    invocationSchemaVersion: '2.0',
    invocationId: 'purge',
    job: { id: 'purge', userArguments: { action: 'purge' } },
    tasks: keys.map((key, i) => ({
      taskId: String(i),
      s3Key: encodeURIComponent(key).replace(/%2F/g, '/'),
      s3Bucket: bucket,
    })),
  });
  let failed = false;
  for (const [i, result] of (answer?.results ?? []).entries()) {
    failed ||= result.resultCode !== 'Succeeded';
    console.log(`${keys[i]}: ${result.resultCode}: ${result.resultString}`);
  }
  const paths = (answer?.results ?? []).reduce(
    (n, r) => n + Number(/(\d+) variants purged/.exec(r.resultString)?.[1] ?? 0),
    0,
  );
  if (distributionId)
    console.log(`${paths} paths invalidated: $${(paths * PRICE_PER_PATH).toFixed(3)} beyond the free 1,000 a month`);
  process.exitCode = failed ? 1 : 0;
}

await main();
