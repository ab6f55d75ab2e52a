import { describe, expect, it } from 'vitest';
import { jobRequest, manifestCsv } from '../../refresh/cli/manifest';
import { decodeEventKey } from '../../refresh/events';

describe('the Batch Operations manifest', () => {
  it('writes one bucket,key line per original, the key encoded as Batch Operations decodes it', () => {
    const keys = ['products/a b.jpg', 'x,y+z.png', 'ü/c.jpg'];
    const lines = manifestCsv('photos', keys).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(keys.length);
    lines.forEach((line, i) => {
      const [bucket, key, ...extra] = line.split(',');
      expect(extra).toEqual([]);
      expect(bucket).toBe('photos');
      expect(decodeEventKey(key!)).toBe(keys[i]);
    });
  });

  it('asks for a job invoking the function with the action, on the uploaded manifest', () => {
    const inputs = {
      accountId: '123456789012',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f:3',
      roleArn: 'arn:aws:iam::123456789012:role/batch',
      action: 'purge' as const,
      manifestBucket: 'ops',
      manifestKey: 'manifests/m.csv',
      manifestETag: 'etag1',
      reportPrefix: 'reports/',
    };
    const request = jobRequest(inputs);
    expect(request.Operation.LambdaInvoke).toEqual({
      FunctionArn: inputs.functionArn,
      InvocationSchemaVersion: '2.0',
      UserArguments: { action: inputs.action },
    });
    expect(request.Manifest.Location).toEqual({
      ObjectArn: `arn:aws:s3:::${inputs.manifestBucket}/${inputs.manifestKey}`,
      ETag: inputs.manifestETag,
    });
    expect(request.Report).toMatchObject({
      Bucket: `arn:aws:s3:::${inputs.manifestBucket}`,
      Prefix: inputs.reportPrefix,
    });
    expect([request.AccountId, request.RoleArn]).toEqual([inputs.accountId, inputs.roleArn]);
    expect(jobRequest(inputs).ClientRequestToken).not.toBe(request.ClientRequestToken);
  });
});
