import { describe, expect, it } from 'vitest';
import { headers, headerValue, statusText, textResponse } from '../../shared/cloudfront';

describe('CloudFront shapes', () => {
  it('keys a header map by the lower-case name, keeping the given case in key', () => {
    const given = { 'Content-Type': 'image/webp', 'X-Amz-Meta-Source-ETag': 'abc' };
    const map = headers(given);
    for (const [key, value] of Object.entries(given)) {
      expect(map[key.toLowerCase()]).toEqual([{ key, value }]);
      expect(headerValue(map, key.toLowerCase())).toBe(value);
    }
    expect(Object.keys(map)).toHaveLength(Object.keys(given).length);
    expect(headerValue(map, 'vary')).toBeUndefined();
    expect(headerValue(undefined, 'vary')).toBeUndefined();
  });

  it('answers a plain-text response with a one-line reason, its status as a string', () => {
    const reason = 'width must be a whole number';
    const response = textResponse(400, reason, 'max-age=60');
    expect(response).toMatchObject({ status: '400', statusDescription: statusText(400), body: `${reason}\n` });
    expect(headerValue(response.headers, 'cache-control')).toBe('max-age=60');
    expect(headerValue(response.headers, 'content-type')).toMatch(/^text\/plain/);
  });

  it('cuts a long reason, so a generated response stays small', () => {
    const long = 'x'.repeat(5000);
    const body = textResponse(422, long, 'no-store').body!;
    expect(body.length).toBeLessThan(long.length);
    expect(long.startsWith(body.slice(0, -2))).toBe(true);
    expect(body.endsWith('…\n')).toBe(true);
  });

  it('gives each status we generate its reason phrase, and none for others', () => {
    for (const status of [200, 302, 400, 403, 404, 422, 500, 502, 503]) expect(statusText(status)).not.toBe('');
    expect(statusText(418)).toBe('');
    expect(textResponse(418, 'no', 'no-store').statusDescription).toBe('');
  });
});
