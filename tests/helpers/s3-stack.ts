/**
 * Test lifecycle around a real s3rver: start it in a fresh directory, point the handlers' standard SDK
 * environment at it, and give the tests small S3 helpers. Shared by every suite that touches S3.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { listKeys, objectExists } from '../../local/s3-objects';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, useS3Endpoint, type S3Server } from '../../local/s3-server';

export interface TestS3 extends S3Server {
  directory: string;
  /** Stops the server, keeping its data: S3 is down until `resume`. */
  pause(): Promise<void>;
  /** Starts the server again on the same port and data. */
  resume(): Promise<void>;
  put(key: string, body: Buffer, contentType?: string): Promise<void>;
  /** The object's bytes, or `undefined` when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  exists(key: string): Promise<boolean>;
  /** Every key in the bucket, sorted. */
  keys(): Promise<string[]>;
}

export async function startTestS3(bucket = 'photos'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'edge-resize-s3-'));
  let server = await startS3Server({ directory, bucket });
  let running = true;
  useS3Endpoint(server.endpoint);
  const port = server.port;
  return {
    endpoint: server.endpoint,
    port,
    /** The running server's client (a new one after `resume`). */
    get client() {
      return server.client;
    },
    bucket,
    directory,
    /** On the running server: listeners do not follow it through `pause` and `resume`. */
    onObjectCreated(listener) {
      return server.onObjectCreated(listener);
    },
    onObjectEvent(listener) {
      return server.onObjectEvent(listener);
    },
    async pause() {
      await server.stop();
      running = false;
    },
    async resume() {
      server = await startS3Server({ directory, bucket, port });
      running = true;
    },
    async stop() {
      if (running) await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
    async put(key, body, contentType = 'application/octet-stream') {
      await server.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
    },
    async get(key) {
      try {
        const result = await server.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await result.Body!.transformToByteArray());
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    keys: () => listKeys(server.client, bucket),
    exists: (key) => objectExists(server.client, bucket, key),
  };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
