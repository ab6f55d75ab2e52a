/**
 * `npm run warm` as users run it (the built commands, in a child process), against s3rver
 * through the SDK's standard environment.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useRefreshCommands } from '../helpers/refresh-commands';

const cli = useRefreshCommands();

it('warm writes a CSV manifest of the originals under the prefix and the create-job request', async () => {
  await cli.run('warm', [
    '--bucket',
    'photos',
    '--prefix',
    'products/',
    '--out',
    cli.out,
    '--upload',
    '--function-arn',
    'arn:aws:lambda:eu-west-1:123456789012:function:f',
  ]);
  const csv = readFileSync(join(cli.out, 'manifest.csv'), 'utf8');
  expect(csv).toBe('photos,products/a%20b.jpg\nphotos,products/x%2Cy%2Bz.png\n');
  const request = JSON.parse(readFileSync(join(cli.out, 'create-job.json'), 'utf8')) as {
    Operation: { LambdaInvoke: unknown };
    Manifest: { Spec: unknown; Location: { ObjectArn: string; ETag: string } };
  };
  expect(request.Operation.LambdaInvoke).toEqual({
    FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
    InvocationSchemaVersion: '2.0',
    UserArguments: { action: 'warm' },
  });
  expect(request.Manifest.Spec).toEqual({ Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] });
  const manifestKey = request.Manifest.Location.ObjectArn.replace('arn:aws:s3:::photos/', '');
  const uploaded = await cli.s3.client.send(new HeadObjectCommand({ Bucket: 'photos', Key: manifestKey }));
  expect(`"${request.Manifest.Location.ETag}"`).toBe(uploaded.ETag);
});
