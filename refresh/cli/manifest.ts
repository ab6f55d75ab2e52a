/**
 * An S3 Batch Operations job that runs the refresh function over every original under a prefix: the CSV manifest
 * (`bucket,key`, keys URL-encoded as Batch Operations requires) and the `aws s3control create-job` request.
 */
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { listKeys } from '../../local/s3-objects';
import type { ViewerConfig } from '../../shared/config';
import { hasImageExtension } from '../../shared/image-path';
import { parseVariantKey } from '../../shared/variant-key';
import type { Action } from '../events';
import { encodedPath } from '../variants';

/** The originals under `prefix` (variant keys and non-images left out), sorted. */
export async function originalsUnder(
  client: S3Client,
  bucket: string,
  prefix: string,
  config: ViewerConfig,
): Promise<string[]> {
  return (await listKeys(client, bucket, prefix)).filter((key) => {
    const uri = `/${encodedPath(key)}`;
    return hasImageExtension(uri) && parseVariantKey(uri, config).kind === 'not-variant';
  });
}

/** One CSV line per original: the bucket, then the key URL-encoded (a CSV field never holds a raw comma). */
export function manifestCsv(bucket: string, keys: readonly string[]): string {
  return keys.map((key) => `${bucket},${encodeURIComponent(key).replace(/%2F/g, '/')}\n`).join('');
}

export interface JobRequest {
  AccountId: string;
  ConfirmationRequired: boolean;
  Operation: {
    LambdaInvoke: { FunctionArn: string; InvocationSchemaVersion: '2.0'; UserArguments: { action: Action } };
  };
  Manifest: {
    Spec: { Format: 'S3BatchOperations_CSV_20180820'; Fields: ['Bucket', 'Key'] };
    Location: { ObjectArn: string; ETag: string };
  };
  Report: { Bucket: string; Prefix: string; Format: 'Report_CSV_20180820'; Enabled: true; ReportScope: 'AllTasks' };
  Priority: number;
  RoleArn: string;
  ClientRequestToken: string;
  Description: string;
}

export interface JobInputs {
  accountId: string;
  functionArn: string;
  roleArn: string;
  action: Action;
  manifestBucket: string;
  manifestKey: string;
  manifestETag: string;
  reportPrefix: string;
}

/** The CreateJob request body, in the shape `aws s3control create-job --cli-input-json` reads. */
export function jobRequest(inputs: JobInputs): JobRequest {
  return {
    AccountId: inputs.accountId,
    ConfirmationRequired: false,
    Operation: {
      LambdaInvoke: {
        FunctionArn: inputs.functionArn,
        InvocationSchemaVersion: '2.0',
        UserArguments: { action: inputs.action },
      },
    },
    Manifest: {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
      Location: { ObjectArn: `arn:aws:s3:::${inputs.manifestBucket}/${inputs.manifestKey}`, ETag: inputs.manifestETag },
    },
    Report: {
      Bucket: `arn:aws:s3:::${inputs.manifestBucket}`,
      Prefix: inputs.reportPrefix,
      Format: 'Report_CSV_20180820',
      Enabled: true,
      ReportScope: 'AllTasks',
    },
    Priority: 10,
    RoleArn: inputs.roleArn,
    ClientRequestToken: randomUUID(),
    Description: `edge-resize ${inputs.action}`,
  };
}
