/**
 * Originals that are ordinary for photographers come out right (colours converted to sRGB, animation kept
 * within the frame limit); broken and hostile ones are refused fast and never stored; the transform budget is
 * enforced; and each event writes one CloudWatch EMF object.
 */
import type { CloudFrontResultResponse } from 'aws-lambda';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOriginResponseHandler } from '../../origin-response/handler';
import { DEFAULT_CONFIG, resolveConfig, type UserConfig } from '../../shared/config';
import { setLogSink } from '../../shared/log';
import { contractViolations } from '../../local/cloudfront-rules';
import { originResponseEvent } from '../helpers/events';
import { colourPatch, heavyPng, hostile, photo } from '../helpers/fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

setLogSink(() => {});
/** An animated GIF of `frames` frames, `side` px square, each different (a bar moving across), so none merge. */
async function movingBarGif(frames: number, side: number): Promise<Buffer> {
  const row = side * 3;
  const raw = Buffer.alloc(row * side * frames, 40);
  for (let i = 0; i < frames; i++) {
    const x = Math.floor((i * side) / frames) * 3;
    for (let y = 0; y < side; y++) raw.fill(255, (i * side + y) * row + x, (i * side + y) * row + x + 21);
  }
  return sharp(raw, { raw: { width: side, height: side * frames, channels: 3, pageHeight: side } })
    .gif({ effort: 1 })
    .toBuffer();
}
let s3: TestS3;
const RGB: [number, number, number] = [200, 120, 60];
/** A colour well inside a press (CMYK) gamut, so writing it as CMYK and reading it back is near-exact. */
const IN_PRESS_GAMUT: [number, number, number] = [120, 140, 160];

beforeAll(async () => {
  s3 = await startTestS3('photos');
  const patch = await colourPatch(RGB);
  await s3.put('cmyk.jpg', (await colourPatch(IN_PRESS_GAMUT)).cmykJpeg);
  await s3.put('progressive.jpg', patch.progressiveJpeg);
  await s3.put('deep.png', patch.png16);
  await s3.put('p3.jpg', patch.p3Jpeg);
  await s3.put('anim.webp', await sharp(photo('animated.gif'), { animated: true }).webp().toBuffer());
  await s3.put('bomb.jpg', hostile('bomb-749mp-progressive.head.jpg'));
  await s3.put('heavy.png', await heavyPng());
  await s3.put('anim100.gif', await movingBarGif(100, 700));
});
afterAll(() => s3.stop());

async function miss(uri: string, user: UserConfig = {}) {
  const handler = createOriginResponseHandler(resolveConfig(user));
  const event = originResponseEvent(uri, { status: '404' });
  const response = (await handler(event)) as CloudFrontResultResponse;
  expect(contractViolations(response, 'origin-response', event.Records[0]!.cf.response.headers)).toEqual([]);
  return response;
}

async function centrePixel(response: CloudFrontResultResponse) {
  expect(response.status).toBe('200');
  const image = sharp(Buffer.from(response.body!, 'base64'));
  const meta = await image.metadata();
  const { data } = await image
    .extract({ left: 16, top: 16, width: 1, height: 1 })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { meta, rgb: [...data.subarray(0, 3)] };
}

/** sRGB → Display P3 numbers, from the published primaries (both use the sRGB transfer curve). */
function srgbToP3([r, g, b]: number[]): number[] {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const enc = (v: number) => 255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
  const [R, G, B] = [lin(r!), lin(g!), lin(b!)];
  return [
    0.8224621 * R + 0.177538 * G,
    0.0331941 * R + 0.9668058 * G,
    0.0170827 * R + 0.0723974 * G + 0.9105199 * B,
  ].map(enc);
}

function expectClose(actual: number[], expected: number[], tolerance: number) {
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance));
}

describe('ordinary originals come out right', () => {
  it('CMYK JPEG becomes sRGB with its colour', async () => {
    const original = await sharp(await s3.get('cmyk.jpg')).metadata();
    expect([original.space, original.channels]).toEqual(['cmyk', 4]);
    const { meta, rgb } = await centrePixel(await miss('/200w/default/cmyk.jpg'));
    expect([meta.space, meta.channels, meta.icc]).toEqual(['srgb', 3, undefined]);
    expectClose(rgb, IN_PRESS_GAMUT, 6);
  });

  it('progressive JPEG and 16-bit PNG decode with their colour', async () => {
    const progressive = await centrePixel(await miss('/200w/default/progressive.jpg'));
    expectClose(progressive.rgb, RGB, 4);
    const deep = await centrePixel(await miss('/200w/default/deep.png'));
    expect(deep.meta.depth).toBe('uchar');
    expectClose(deep.rgb, RGB, 2);
  });

  it('an embedded Display P3 profile is converted to sRGB, not ignored', async () => {
    const { meta, rgb } = await centrePixel(await miss('/200w/default/p3.jpg'));
    expect(meta.icc).toBeUndefined();
    expectClose(rgb, RGB, 4);
    // Ignoring the profile would have passed the P3 numbers through as sRGB: a visibly different colour.
    const p3Numbers = srgbToP3(RGB);
    expect(Math.max(...p3Numbers.map((v, i) => Math.abs(v - RGB[i]!)))).toBeGreaterThan(8);
  });

  it('animated WebP stays animated within the frame limit, and keeps one frame beyond it', async () => {
    const kept = await miss('/200w/default/anim.webp');
    expect((await sharp(Buffer.from(kept.body!, 'base64')).metadata()).pages).toBeGreaterThan(40);
    const cut = await miss('/100w/default/anim.webp', { maxFrames: 10 });
    const meta = await sharp(Buffer.from(cut.body!, 'base64')).metadata();
    expect([meta.width, meta.pages ?? 1]).toEqual([100, 1]);
  });
});

describe('hostile originals', () => {
  it('a 749 MP progressive JPEG is refused from its header, fast, and not stored', async () => {
    const started = performance.now();
    const response = await miss('/400w/default/bomb.jpg');
    expect(performance.now() - started).toBeLessThan(2000);
    expect([response.status, response.body]).toEqual(['422', 'the original has more than 50000000 pixels\n']);
    expect(await s3.exists('400w/default/bomb.jpg')).toBe(false);
  });
});

describe('work budget', () => {
  it(
    'answers a 100-frame 700 px GIF at 2000 x 2000 WebP ' + 'as its first frame: the animation is over budget',
    async () => {
      const response = await miss('/2000h2000w-fill/blur-webp-q100/anim100.gif');
      expect(response.status).toBe('200');
      const meta = await sharp(Buffer.from(response.body ?? '', 'base64')).metadata();
      expect([meta.format, meta.width, meta.height, meta.pages ?? 1]).toEqual(['webp', 2000, 2000, 1]);
    },
  );

  it('refuses the same GIF at 2000 x 2000 GIF from its header: 422, cached briefly, nothing stored', async () => {
    const response = await miss('/2000h2000w-fill/default/anim100.gif');
    expect(response.status).toBe('422');
    expect(response.body).toMatch(/^the variant would cost \d+ weighted megapixels, over the budget of 100\n$/);
    expect(response.headers?.['cache-control']?.[0]?.value).toBe(DEFAULT_CONFIG.errorCacheControl);
    expect(await s3.exists('2000h2000w-fill/default/anim100.gif')).toBe(false);
  });

  it('keeps the 100-frame GIF animated where the budget allows', async () => {
    const response = await miss('/200w/webp/anim100.gif');
    const meta = await sharp(Buffer.from(response.body ?? '', 'base64')).metadata();
    expect([response.status, meta.format, meta.width, meta.pages]).toEqual(['200', 'webp', 200, 100]);
  });
});

/** A CloudWatch EMF object: its metadata under `_aws`, its metrics and dimensions at the top level. */
interface EmfObject {
  _aws: { CloudWatchMetrics: { Namespace: string }[] };
  [name: string]: unknown;
}

describe('metrics', () => {
  it('writes one CloudWatch EMF object per event, with bytes, stage times and refusals by reason', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    let generated: CloudFrontResultResponse;
    try {
      generated = await miss('/400w/default/progressive.jpg');
      await miss('/400w/bw/bomb.jpg');
    } finally {
      process.stdout.write = write;
    }
    const emf = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as EmfObject);
    expect(emf).toHaveLength(2);
    const [ok, refused] = emf;
    expect(ok?._aws.CloudWatchMetrics[0]?.Namespace).toBe('EdgeResize');
    expect(ok).toMatchObject({
      VariantGenerated: 1,
      VariantStored: 1,
      BytesOut: Buffer.from(generated!.body!, 'base64').length,
    });
    for (const name of ['S3GetMs', 'TransformMs', 'S3PutMs', 'BytesIn']) expect(ok?.[name]).toEqual(expect.any(Number));
    expect(refused).toMatchObject({ Refused: 1, Reason: 'too-many-pixels' });
  });
});
