/**
 * S3 faults: stopped mid-run, then restarted; and an endpoint that accepts connections but never answers.
 * The viewer gets a 503 that is not cached, nothing half-written stays behind, and the first request after S3
 * recovers succeeds.
 */
import type { CloudFrontResultResponse } from 'aws-lambda';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { originResponseEvent } from '../helpers/events';
import { photo } from '../helpers/fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

setLogSink(() => {});
const handler = createOriginResponseHandler(resolveConfig({ s3DeadlineMs: 1500 }));
let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3('photos');
  await s3.put('a.jpg', photo('medium-2mp.jpg'));
});
afterAll(() => s3.stop());

async function miss(uri: string, region = 'us-east-1') {
  return (await handler(originResponseEvent(uri, { status: '404', region }))) as CloudFrontResultResponse;
}

describe('S3 stopped and restarted mid-run', () => {
  it('answers 503 no-store while S3 is down, writes nothing, and recovers', async () => {
    expect((await miss('/200w/default/a.jpg')).status).toBe('200');

    await s3.pause();
    const started = performance.now();
    const down = await miss('/400w/default/a.jpg');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(down.status).toBe('503');
    expect(down.headers?.['cache-control']?.[0]?.value).toBe('no-store');
    expect(down.body).toBe('the image could not be generated, try again shortly\n');

    await s3.resume();
    expect(await s3.exists('400w/default/a.jpg')).toBe(false);
    const recovered = await miss('/400w/default/a.jpg');
    expect(recovered.status).toBe('200');
    expect(await s3.exists('400w/default/a.jpg')).toBe(true);
  });
});

describe('S3 that never answers', () => {
  let blackHole: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    blackHole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((done) => blackHole.listen(0, '127.0.0.1', done));
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise((done) => blackHole.close(done));
  });

  it('gives up at the deadline with a 503 no-store', async () => {
    // The handlers' clients come from the standard environment, one per region: point a new region's at the hole.
    const saved = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${(blackHole.address() as { port: number }).port}`;
    try {
      const started = performance.now();
      const response = await miss('/600w/default/a.jpg', 'eu-west-3');
      const took = performance.now() - started;
      expect(response.status).toBe('503');
      expect(response.headers?.['cache-control']?.[0]?.value).toBe('no-store');
      expect(took).toBeGreaterThan(1400);
      expect(took).toBeLessThan(4000);
    } finally {
      process.env.AWS_ENDPOINT_URL_S3 = saved;
    }
  });
});
