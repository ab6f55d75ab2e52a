import { describe, expect, it } from 'vitest';
import { SOURCE_ETAG, sourceMetadata, STALE_CACHE_CONTROL, uncacheable } from '../../origin-response/freshness';
import { headers, headerValue } from '../../shared/cloudfront';

describe('freshness', () => {
  it("stores a variant with its source's ETag, and no metadata without one", () => {
    expect(sourceMetadata('abc')).toEqual({ [SOURCE_ETAG]: 'abc' });
    expect(sourceMetadata(undefined)).toBeUndefined();
  });

  it('makes an answer uncacheable, keeping its other headers and body', () => {
    const given = { 'Content-Type': 'image/webp', 'Cache-Control': 'public, max-age=31536000', Vary: 'Accept' };
    const response = { status: '200', headers: headers(given), body: 'AAAA', bodyEncoding: 'base64' as const };
    const answer = uncacheable(response);
    expect(headerValue(answer.headers, 'cache-control')).toBe(STALE_CACHE_CONTROL);
    expect(headerValue(answer.headers, 'content-type')).toBe(given['Content-Type']);
    expect(headerValue(answer.headers, 'vary')).toBe(given.Vary);
    expect(answer.body).toBe(response.body);
    expect(headerValue(response.headers, 'cache-control')).toBe(given['Cache-Control']);
  });
});
