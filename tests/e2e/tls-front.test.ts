/**
 * The bench's TLS front (bench/tls-front.ts): the built origin-response, in a fresh process given the environment
 * the bench gives its children, serves a miss over HTTPS through it, and the certificate is really checked (a
 * client without the CA is refused), so the bench's cold start pays a real handshake rather than an unverified one.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET } from '../../bench/child-protocol';
import { lambdaLikeEnv } from '../../bench/lambda-node';
import { startTlsFront, type TlsFront } from '../../bench/tls-front';
import { distFunction } from '../../local/paths';
import { S3RVER_CREDENTIALS } from '../../local/s3-server';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';
import { originResponseEvent } from '../helpers/events';
import { photo } from '../helpers/fixtures';

const ORIGINAL = photo('medium-2mp.jpg');
let s3: TestS3;
let front: TlsFront;
let certificates: string;

beforeAll(async () => {
  s3 = await startTestS3(BUCKET);
  certificates = mkdtempSync(join(tmpdir(), 'edge-resize-tls-test-'));
  front = await startTlsFront(s3.port, certificates);
});

afterAll(async () => {
  await front?.stop();
  await s3?.stop();
  if (certificates) rmSync(certificates, { recursive: true, force: true });
});

const clientTrusting = (ca: string[] | undefined) =>
  new S3Client({
    endpoint: front.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestHandler: { httpsAgent: new Agent(ca ? { ca } : {}) },
  });

describe("the bench's TLS front for s3rver", () => {
  it('is HTTPS on loopback', () => {
    expect(front.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lets the built origin-response, in a fresh process, read and write over HTTPS', async () => {
    await s3.put('tls/photo.jpg', ORIGINAL, 'image/jpeg');
    // The bundle as Lambda loads it, its event handed over as JSON; S3 reachable only through the front.
    const script = `require(${JSON.stringify(distFunction('origin-response'))}).handler(JSON.parse(process.argv[1]))
      .then((answer) => process.stdout.write(JSON.stringify({ status: answer.status })));`;
    const event = originResponseEvent('/200w/default/tls/photo.jpg', { status: '404' });
    const env = { ...lambdaLikeEnv(), AWS_ENDPOINT_URL_S3: front.endpoint, NODE_EXTRA_CA_CERTS: front.caFile };
    // Not spawnSync: the front and s3rver run in this process, which must keep serving meanwhile.
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(event)], { env });
    expect(JSON.parse(stdout.split('\n').at(-1)!)).toEqual({ status: '200' });
    const stored = await s3.get('200w/default/tls/photo.jpg');
    expect(stored).toBeDefined();
    expect((await sharp(stored).metadata()).width).toBe(200);
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
