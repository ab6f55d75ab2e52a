import { describe, expect, it } from 'vitest';
import { errorResponse, generatedSize, imageResponse, redirectToSelf } from '../../origin-response/respond';
import { contractViolations } from '../../local/cloudfront-rules';
import { originResponseEvent } from '../helpers/events';

const origin = originResponseEvent('/400w/default/a.jpg', { status: '404' }).Records[0]!.cf.response;
const image = (bytes: number) => ({
  data: Buffer.alloc(bytes, 7),
  contentType: 'image/jpeg',
  cacheControl: 'public, max-age=31536000, immutable',
  vary: false,
});

describe('respond', () => {
  it('inlines an image as base64 with only our headers and the read-only ones', () => {
    const response = imageResponse(origin, image(1000), 1_000_000)!;
    expect(response.status).toBe('200');
    expect(response.bodyEncoding).toBe('base64');
    expect(Buffer.from(response.body!, 'base64')).toEqual(Buffer.alloc(1000, 7));
    expect(Object.keys(response.headers!).sort()).toEqual([
      'cache-control',
      'content-type',
      'transfer-encoding',
      'via',
    ]);
    expect(contractViolations(response, 'origin-response', origin.headers)).toEqual([]);
  });

  it('counts the base64 body and the headers against the cap', () => {
    const response = imageResponse(origin, image(3000), 1_000_000)!;
    expect(generatedSize(response)).toBeGreaterThan(4000);
    const cap = generatedSize(response);
    expect(imageResponse(origin, image(3000), cap)).toBeDefined();
    expect(imageResponse(origin, image(3000), cap - 1)).toBeUndefined();
    // 750,000 bytes is exactly 1,000,000 in base64: with headers on top it no longer fits.
    expect(imageResponse(origin, image(750_000), 1_000_000)).toBeUndefined();
  });

  it('redirects to itself, uncacheable', () => {
    const response = redirectToSelf(origin, '/2000w/default/a.png');
    expect(response.status).toBe('302');
    expect(response.headers?.location?.[0]?.value).toBe('/2000w/default/a.png');
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('private, no-store');
    expect(contractViolations(response, 'origin-response', origin.headers)).toEqual([]);
  });

  it('answers errors as one line of text', () => {
    const response = errorResponse(origin, 422, 'the original is empty', 'public, max-age=60');
    expect(response).toMatchObject({
      status: '422',
      statusDescription: 'Unprocessable Content',
      body: 'the original is empty\n',
      bodyEncoding: 'text',
    });
    expect(contractViolations(response, 'origin-response', origin.headers)).toEqual([]);
  });
});
