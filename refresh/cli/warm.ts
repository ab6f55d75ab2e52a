/**
 * `npm run warm -- --bucket B --prefix products/`: prepares an S3 Batch Operations job that runs the refresh
 * function over every original under the prefix (action `warm`: make the `pregenerate` variants; or
 * `--action refresh|purge`). Writes the CSV manifest and the create-job request into --out, uploads the manifest
 * with --upload (under edge-resize/manifests/, which the function ignores: not an image), and prints the commands.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import userConfig from '../../edge-resize.config';
import { commandLine, failCommand } from '../../local/cli-options';
import { resolveConfig } from '../../shared/config';
import { jobRequest, manifestCsv, originalsUnder } from './manifest';

const USAGE = `usage: npm run warm -- --bucket NAME [--prefix P] [--action warm|refresh|purge] [--out DIR] [--upload]
    [--function-arn ARN] [--role-arn ARN] [--account-id ID]
  --bucket        the images bucket (the SDK's usual credentials and region; AWS_ENDPOINT_URL_S3 is honoured)
  --prefix        only originals under this key prefix (default: the whole bucket)
  --action        what each task does (default warm: make the configured pregenerate variants)
  --out           where manifest.csv and create-job.json go (default dist/batch/)
  --upload        put the manifest in the bucket and fill its ETag into the request
  --function-arn, --role-arn, --account-id   filled into the request (placeholders otherwise)`;

async function main(): Promise<void> {
  const { values } = commandLine('warm', USAGE, () =>
    parseArgs({
      options: {
        bucket: { type: 'string' },
        prefix: { type: 'string' },
        action: { type: 'string' },
        out: { type: 'string' },
        upload: { type: 'boolean' },
        'function-arn': { type: 'string' },
        'role-arn': { type: 'string' },
        'account-id': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) return console.log(USAGE);
  if (!values.bucket) failCommand('warm', `--bucket is required\n${USAGE}`);
  const action = values.action ?? 'warm';
  if (action !== 'warm' && action !== 'refresh' && action !== 'purge')
    failCommand('warm', `--action must be warm, refresh or purge\n${USAGE}`);
  const config = resolveConfig(userConfig);
  if (action === 'warm' && config.pregenerate.length === 0) {
    console.error('warm: edge-resize.config.ts sets no pregenerate variants, so each task will make nothing');
  }
  const client = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
  const keys = await originalsUnder(client, values.bucket, values.prefix ?? '', config);
  const out = values.out ?? join('dist', 'batch');
  mkdirSync(out, { recursive: true });
  const csv = manifestCsv(values.bucket, keys);
  writeFileSync(join(out, 'manifest.csv'), csv);
  const manifestKey = `edge-resize/manifests/${action}-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
  let manifestETag = '<ETag of the uploaded manifest, without quotes>';
  if (values.upload) {
    const put = await client.send(
      new PutObjectCommand({ Bucket: values.bucket, Key: manifestKey, Body: csv, ContentType: 'text/csv' }),
    );
    manifestETag = (put.ETag ?? '').replace(/"/g, '');
  }
  const request = jobRequest({
    accountId: values['account-id'] ?? '<account id>',
    functionArn: values['function-arn'] ?? '<refresh function ARN>',
    roleArn: values['role-arn'] ?? '<Batch Operations role ARN>',
    action,
    manifestBucket: values.bucket,
    manifestKey,
    manifestETag,
    reportPrefix: 'edge-resize/reports',
  });
  writeFileSync(join(out, 'create-job.json'), `${JSON.stringify(request, null, 2)}\n`);
  client.destroy();
  console.log(
    [
      `${keys.length} originals under "${values.prefix ?? ''}" in ${values.bucket}: ${join(out, 'manifest.csv')}`,
      ...(values.upload
        ? [`manifest uploaded to s3://${values.bucket}/${manifestKey}`]
        : [
            `upload it:  aws s3 cp ${join(out, 'manifest.csv')} s3://${values.bucket}/${manifestKey}`,
            '  then put its ETag (without quotes) in the request',
          ]),
      `create the job, in the bucket's region:`,
      `  aws s3control create-job --region <bucket region> --cli-input-json file://${join(out, 'create-job.json')}`,
    ].join('\n'),
  );
}

await main();
