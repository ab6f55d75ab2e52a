/**
 * The origin-response refuses a non-raster original from its first bytes, before sharp reads it: the reason it
 * answers is the sniffer's, not the one sharp's header read leads to.
 */
import type { CloudFrontResponseEvent, CloudFrontResultResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { sniff } from '../../origin-response/sniff';
import { transform, UnprocessableImage } from '../../origin-response/transform';
import { resolveConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { originResponseEvent } from '../helpers/events';
import { SVG_WITH_SCRIPT, TEXT_NAMED_JPG } from '../helpers/fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

const logs: Record<string, unknown>[] = [];
setLogSink((line) => logs.push(JSON.parse(line) as Record<string, unknown>));

const config = resolveConfig();
const handler = createOriginResponseHandler(config) as (event: CloudFrontResponseEvent) => Promise<unknown>;
let s3: TestS3;

/** A million empty groups: sharp's header read parses all of it before it says "svg". */
const HUGE_SVG = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${'<g/>'.repeat(1_000_000)}</svg>`,
);
const S3_ERROR_XML = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>' +
    '<Message>The specified key does not exist.</Message><Key>photos/cat.jpg</Key></Error>\n',
);

const ORIGINALS: Record<string, Buffer> = {
  'huge-svg.jpg': HUGE_SVG,
  'drawing.jpg': SVG_WITH_SCRIPT,
  'text.jpg': TEXT_NAMED_JPG,
  's3-error.jpg': S3_ERROR_XML,
};

beforeAll(async () => {
  s3 = await startTestS3('photos');
  for (const [key, body] of Object.entries(ORIGINALS)) await s3.put(key, body, 'image/jpeg');
});
afterAll(() => s3.stop());

async function miss(uri: string): Promise<CloudFrontResultResponse> {
  return (await handler(originResponseEvent(uri, { status: '404' }))) as CloudFrontResultResponse;
}

/** What sharp's path says of the same bytes, for comparison (small inputs only). */
async function sharpReason(input: Buffer): Promise<string> {
  const error = await transform(input, { styles: [], width: 400 }, config).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnprocessableImage);
  return (error as UnprocessableImage).reason;
}

describe('non-raster originals are refused before sharp', () => {
  it("a multi-MB SVG named .jpg: 422 with the sniffer's reason, nothing stored", async () => {
    expect(HUGE_SVG.length).toBeGreaterThan(4_000_000);
    const response = await miss('/400w/default/huge-svg.jpg');
    expect(response.status).toBe('422');
    const reason = (sniff(HUGE_SVG) as { reason: string }).reason;
    expect(reason).toMatch(/^the original is SVG, not a /);
    expect(response.body).toBe(`${reason}\n`);
    expect(logs.at(-1)).toMatchObject({ outcome: 'refused', status: 422, reason });
    expect(logs.at(-1)).not.toHaveProperty('transformMs');
    expect(await s3.exists('400w/default/huge-svg.jpg')).toBe(false);
  });

  it.each(['drawing.jpg', 'text.jpg', 's3-error.jpg'])("%s: the sniffer's reason, not sharp's", async (key) => {
    const response = await miss(`/200w/default/${key}`);
    const sniffed = sniff(ORIGINALS[key]!);
    expect(sniffed.kind).toBe('refused');
    const reason = (sniffed as { reason: string }).reason;
    expect(response.status).toBe('422');
    expect(response.body).toBe(`${reason}\n`);
    expect(await sharpReason(ORIGINALS[key]!)).not.toBe(reason);
    expect(await s3.exists(`200w/default/${key}`)).toBe(false);
  });
});
