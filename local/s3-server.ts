/**
 * A real S3-compatible server (s3rver) on loopback, for the local stack and the tests. Everything talks to it
 * over HTTP through @aws-sdk/client-s3, exactly as the deployed functions talk to S3.
 */
import { S3Client } from '@aws-sdk/client-s3';
import S3rver, { type S3rverEvent } from 's3rver';
import { foldCommonPrefixesAsS3Does } from './s3rver-listing';

/** s3rver's fixed credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Server {
  /** `http://127.0.0.1:PORT`: an IP, so the SDK uses path-style URLs rather than `bucket.localhost`. */
  endpoint: string;
  port: number;
  bucket: string;
  /** A client for the test or the seeder (not the handlers', which come from the standard environment). */
  client: S3Client;
  /**
   * Calls `listener` with the key of every object s3rver has just stored (PutObject, POST, copy), once the write
   * is on disk: what really reached the server, whatever the writer believed. Returns the unsubscribe function.
   */
  onObjectCreated(listener: (key: string) => void): () => void;
  /** Calls `listener` with each record s3rver emits (ObjectCreated:* and ObjectRemoved:Delete). */
  onObjectEvent(listener: (record: S3rverEvent['Records'][number]) => void): () => void;
  stop(): Promise<void>;
}

export async function startS3Server(options: { directory: string; bucket: string; port?: number }): Promise<S3Server> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: [{ name: options.bucket }],
  });
  foldCommonPrefixesAsS3Does(server.store);
  const address = await server.run();
  // Before the first client: the SDK's notice that its 2027 releases need Node 22 (see useS3Endpoint).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    // s3rver stores aws-chunked (streamed, checksummed) uploads corrupted; plain bodies are fine.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    port: address.port,
    bucket: options.bucket,
    client,
    onObjectCreated(listener) {
      const onEvent = (event: S3rverEvent) => {
        for (const record of event.Records) if (record.eventName.startsWith('ObjectCreated:')) listener(record.s3.object.key);
      };
      server.on('event', onEvent);
      return () => { server.off('event', onEvent); };
    },
    onObjectEvent(listener) {
      const onEvent = (event: S3rverEvent) => { for (const record of event.Records) listener(record); };
      server.on('event', onEvent);
      return () => { server.off('event', onEvent); };
    },
    async stop() {
      client.destroy();
      await server.close();
    },
  };
}

/**
 * Points the SDK's standard configuration chain, which the handlers use, at `endpoint`: the same environment
 * variables a user would set, no special code path in the handlers.
 */
export function useS3Endpoint(endpoint: string): void {
  process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION ??= 'us-east-1';
  // For the other clients in this process (seeding, the bench's bare SDK calls), as s3rver needs them; the
  // handlers' own client sets both in code (origin-response/s3-origin.ts), as deployed.
  process.env.AWS_REQUEST_CHECKSUM_CALCULATION = 'WHEN_REQUIRED';
  process.env.AWS_RESPONSE_CHECKSUM_VALIDATION = 'WHEN_REQUIRED';
  // The SDK warns once that its releases from 2027 need Node 22. That concerns the machines running the local
  // stack, not the deployed functions (nodejs22.x); the README says Node 20 or newer works today.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
