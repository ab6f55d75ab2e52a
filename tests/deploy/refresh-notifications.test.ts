/**
 * `attachNotifications` against the local S3 through the real SDK client: PutBucketNotificationConfiguration
 * replaces the whole configuration, so another team's queue, topic, function and EventBridge entries must come
 * back as they were, ours exactly once, with the prefix filter of the last run.
 */
import {
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  type LambdaFunctionConfiguration,
  type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachNotifications } from '../../scripts/refresh-notifications.mjs';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:edge-resize-refresh-dev-refresh';
const THEIRS: NotificationConfiguration = {
  QueueConfigurations: [
    {
      Id: 'audit-queue',
      QueueArn: 'arn:aws:sqs:eu-west-1:123456789012:audit',
      Events: ['s3:ObjectCreated:Put'],
      Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.pdf' }] } },
    },
  ],
  TopicConfigurations: [
    {
      Id: 'ops-topic',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops',
      Events: ['s3:ObjectRemoved:Delete'],
    },
  ],
  LambdaFunctionConfigurations: [
    {
      Id: 'thumbnails',
      LambdaFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails',
      Events: ['s3:ObjectCreated:Copy'],
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
    },
  ],
  EventBridgeConfiguration: {},
};

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3('notified');
});
afterAll(async () => {
  await s3.stop();
});

async function configuration(): Promise<NotificationConfiguration> {
  const { $metadata, ...current } = await s3.client.send(
    new GetBucketNotificationConfigurationCommand({ Bucket: s3.bucket }),
  );
  void $metadata;
  return current;
}

const ours = (c: NotificationConfiguration) =>
  (c.LambdaFunctionConfigurations ?? []).filter((f) => f.LambdaFunctionArn === FUNCTION_ARN);
const notOurs = (c: NotificationConfiguration): NotificationConfiguration => ({
  ...c,
  LambdaFunctionConfigurations: (c.LambdaFunctionConfigurations ?? []).filter((f) => !ours(c).includes(f)),
});
const attach = (prefix?: string) =>
  attachNotifications({ bucket: s3.bucket, region: 'us-east-1', functionArn: FUNCTION_ARN, prefix });
const prefixOf = (f: LambdaFunctionConfiguration) => f.Filter?.Key?.FilterRules;

describe('attachNotifications', () => {
  it('reads as empty on a bucket never configured', async () => {
    const empty = await configuration();
    expect(empty.LambdaFunctionConfigurations ?? []).toEqual([]);
    expect(empty.QueueConfigurations ?? []).toEqual([]);
    expect(empty.EventBridgeConfiguration).toBeUndefined();
  });

  it("adds its two entries, keeps every other team's entry, and replaces only its own on a later run", async () => {
    await s3.client.send(
      new PutBucketNotificationConfigurationCommand({ Bucket: s3.bucket, NotificationConfiguration: THEIRS }),
    );
    const seeded = await configuration();
    expect(seeded).toEqual(THEIRS);

    await attach('originals/');
    const first = await configuration();
    expect(notOurs(first)).toEqual(seeded);
    expect(ours(first).map((f) => [f.Events, prefixOf(f)])).toEqual([
      [['s3:ObjectCreated:*'], [{ Name: 'prefix', Value: 'originals/' }]],
      [['s3:ObjectRemoved:*'], [{ Name: 'prefix', Value: 'originals/' }]],
    ]);

    await attach('originals/');
    const second = await configuration();
    expect(second).toEqual(first);

    await attach();
    const third = await configuration();
    expect(notOurs(third)).toEqual(seeded);
    expect(ours(third).map((f) => [f.Events, f.Filter])).toEqual([
      [['s3:ObjectCreated:*'], undefined],
      [['s3:ObjectRemoved:*'], undefined],
    ]);
  });

  // On the configuration the runs above left.
  it('is stored as S3 elements; a body not a configuration is refused, nothing stored', async () => {
    const url = `${s3.endpoint}/${s3.bucket}?notification`;
    const before = await (await fetch(url)).text();
    expect(before).toMatch(/<CloudFunctionConfiguration>[^]*<CloudFunction>/);
    expect(before).toMatch(/<QueueConfiguration>[^]*<TopicConfiguration>|<TopicConfiguration>[^]*<QueueConfiguration>/);
    expect(before).toContain('<EventBridgeConfiguration');
    const refused = await fetch(url, { method: 'PUT', body: '<CORSConfiguration/>' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<Code>MalformedXML</Code>');
    expect(await (await fetch(url)).text()).toBe(before);
    const missing = await fetch(`${s3.endpoint}/no-such-bucket?notification`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<Code>NoSuchBucket</Code>');
  });
});
