import { describe, expect, it } from 'vitest';
import { pregenerateUris } from '../../refresh/pregenerate';
import { encodedPath } from '../../refresh/variants';
import { resolveConfig } from '../../shared/config';
import { parseVariantKey } from '../../shared/variant-key';

describe('pregenerateUris', () => {
  it('names nothing when nothing is configured', () => {
    expect(pregenerateUris('cat.jpg', resolveConfig())).toEqual([]);
  });

  it('gives one key per configured entry and format, each a variant of this original', () => {
    const key = 'products/a b.jpg';
    const config = resolveConfig({ pregenerate: [{ width: 400 }, { width: 200, format: 'webp' }] });
    const uris = pregenerateUris(key, config);
    expect(new Set(uris).size).toBe(uris.length);
    expect(uris.length).toBeGreaterThanOrEqual(config.pregenerate.length);
    for (const uri of uris) {
      const parsed = parseVariantKey(uri, config);
      expect(parsed.kind, uri).toBe('variant');
      expect(uri.endsWith(`/${encodedPath(key)}`)).toBe(true);
    }
    const widths = uris.map((uri) => /^\/(\d+)w\//.exec(uri)?.[1]);
    for (const entry of config.pregenerate) expect(widths).toContain(String(entry.width));
  });

  it('makes nothing ahead for an original outside the behaviour prefix', () => {
    const config = resolveConfig({ pathPattern: '/images/*', pregenerate: [{ width: 400 }] });
    expect(pregenerateUris('cat.jpg', config)).toEqual([]);
    expect(pregenerateUris('images/cat.jpg', config).every((uri) => uri.startsWith('/images/'))).toBe(true);
    expect(pregenerateUris('images/cat.jpg', config).length).toBeGreaterThan(0);
  });
});
