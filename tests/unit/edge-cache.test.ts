import { describe, expect, it } from 'vitest';
import { cacheTtlSeconds, EdgeCache, type CachedAnswer } from '../../local/edge-cache';

const answer = (bytes: number): CachedAnswer => ({
  status: 200,
  statusText: 'OK',
  headers: [],
  body: Buffer.alloc(bytes),
});

describe('how long the edge cache keeps an answer', () => {
  it.each([
    [200, 'public, max-age=31536000, immutable', 31_536_000],
    [200, 'max-age=60, s-maxage=5', 5],
    [200, 'MAX-AGE=60', 60],
    [200, undefined, 86_400],
    [200, 'private, no-store', 0],
    [302, 'private, no-store', 0],
    [200, 'no-cache', 0],
    [200, 'max-age=abc', 0],
    [200, 'max-age=999999999', 31_536_000],
    [400, 'public, max-age=60', 60],
    [404, undefined, 10],
    [503, 'no-store', 0],
    [302, undefined, 0],
    [204, undefined, 0],
    [206, 'max-age=60', 0],
  ])('status %s with Cache-Control %s: %s s', (status, cacheControl, ttl) => {
    expect(cacheTtlSeconds(status, cacheControl)).toBe(ttl);
  });
});

describe('EdgeCache', () => {
  it('serves an answer until it expires, with its age', () => {
    let now = 1_000_000;
    const cache = new EdgeCache(1000, () => now);
    cache.set('/a', answer(10), 60);
    now += 59_500;
    expect(cache.get('/a')?.ageSeconds).toBe(59);
    now += 500;
    expect(cache.get('/a')).toBeUndefined();
  });

  it('stores nothing for a TTL of 0', () => {
    const cache = new EdgeCache();
    cache.set('/a', answer(10), 0);
    expect(cache.get('/a')).toBeUndefined();
  });

  it('drops the least recently used answers beyond its size', () => {
    const cache = new EdgeCache(250);
    cache.set('/a', answer(100), 60);
    cache.set('/b', answer(100), 60);
    cache.get('/a');
    cache.set('/c', answer(100), 60);
    expect([cache.get('/a'), cache.get('/b'), cache.get('/c')].map(Boolean)).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
  });
});
