// After `npm run deploy:refresh`: points the bucket's ObjectCreated:* and ObjectRemoved:* notifications (under
// --param originalsPrefix) at the deployed refresh function. PutBucketNotificationConfiguration replaces the whole
// configuration, so it is read first and every other entry is sent back as it was; ours are found by their Id.
import {
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';

const ID = 'edge-resize-refresh';

export async function attachNotifications({ bucket, region, functionArn, prefix }) {
  const client = new S3Client({ region });
  const { $metadata, ...current } = await client.send(
    new GetBucketNotificationConfigurationCommand({ Bucket: bucket }),
  );
  void $metadata;
  const others = (current.LambdaFunctionConfigurations ?? []).filter((c) => !c.Id?.startsWith(ID));
  const filter = prefix ? { Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } } } : {};
  const ours = [
    { Id: `${ID}-created`, LambdaFunctionArn: functionArn, Events: ['s3:ObjectCreated:*'], ...filter },
    { Id: `${ID}-removed`, LambdaFunctionArn: functionArn, Events: ['s3:ObjectRemoved:*'], ...filter },
  ];
  await client.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { ...current, LambdaFunctionConfigurations: [...others, ...ours] },
    }),
  );
  client.destroy();
}
