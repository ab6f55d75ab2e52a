/**
 * The bench's TLS front (bench/tls-front.ts): the built origin-response, in a fresh process as the bench runs it,
 * serves a miss over HTTPS through it, and the certificate is really checked (a client without the CA is refused),
 * so the bench's cold start pays a real handshake rather than an unverified one.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childrenReachS3Through, runChild } from '../../bench/child-process';
import { BUCKET } from '../../bench/child-protocol';
import { startTlsFront, type TlsFront } from '../../bench/tls-front';
import { distFunction } from '../../local/paths';
import { S3RVER_CREDENTIALS } from '../../local/s3-server';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';
import { photo } from '../helpers/fixtures';

const ORIGINAL = photo('medium-2mp.jpg');
let s3: TestS3;
let front: TlsFront;
let certificates: string;

beforeAll(async () => {
  s3 = await startTestS3(BUCKET);
  certificates = mkdtempSync(join(tmpdir(), 'edge-resize-tls-test-'));
  front = await startTlsFront(s3.port, certificates);
  childrenReachS3Through(front);
});

afterAll(async () => {
  childrenReachS3Through(undefined);
  await front?.stop();
  await s3?.stop();
  if (certificates) rmSync(certificates, { recursive: true, force: true });
});

const clientTrusting = (ca: string[] | undefined) => new S3Client({
  endpoint: front.endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: S3RVER_CREDENTIALS,
  requestHandler: { httpsAgent: new Agent(ca ? { ca } : {}) },
});

describe('the bench\'s TLS front for s3rver', () => {
  it('is HTTPS on loopback', () => {
    expect(front.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets the built origin-response, in a fresh process, read the original and store the variant over HTTPS', async () => {
    await s3.put('tls/photo.jpg', ORIGINAL, 'image/jpeg');
    // This process's own endpoint refused (port 9, discard), so the child can only have reached S3 through the front.
    const own = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9';
    try {
      const { result } = await runChild({ mode: 'origin', bundle: distFunction('origin-response'), steps: [{ kind: 'miss', uri: '/200w/default/tls/photo.jpg' }] }, { stdout: 'ignore', nodeFlags: [] });
      expect(result.statuses).toEqual(['200']);
    } finally {
      // Assigning undefined to process.env would store the string "undefined".
      if (own === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
      else process.env.AWS_ENDPOINT_URL_S3 = own;
    }
    const stored = await s3.get('200w/default/tls/photo.jpg');
    expect(stored).toBeDefined();
    expect((await sharp(stored!).metadata()).width).toBe(200);
  });

  it('checks its certificate: refused without the CA, served with it', async () => {
    const command = () => new GetObjectCommand({ Bucket: BUCKET, Key: 'tls/photo.jpg' });
    const untrusting = clientTrusting(undefined);
    await expect(untrusting.send(command())).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
    untrusting.destroy();
    const trusting = clientTrusting([readFileSync(front.caFile, 'utf8')]);
    const answer = await trusting.send(command());
    expect(Buffer.from(await answer.Body!.transformToByteArray()).equals(ORIGINAL)).toBe(true);
    trusting.destroy();
  });
});
