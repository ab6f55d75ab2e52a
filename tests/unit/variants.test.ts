import { describe, expect, it } from 'vitest';
import { candidateUris, encodedPath, uriToKey } from '../../refresh/variants';
import { resolveConfig } from '../../shared/config';
import { parseVariantKey } from '../../shared/variant-key';

const root = resolveConfig();
const images = resolveConfig({ pathPattern: '/images/*' });

describe('variant paths of an original', () => {
  it('percent-encodes each segment of the key, keeping the slashes', () => {
    const segments = ['a b', 'x,y+z', 'ü.jpg'];
    expect(encodedPath(segments.join('/'))).toBe(segments.map(encodeURIComponent).join('/'));
  });

  it('forms one URI per pair the grammar reads as a variant, and maps each back to its S3 key', () => {
    const key = 'products/a b.jpg';
    const pairs = ['400w/default', '200w/bw', 'not a pair'];
    const uris = candidateUris(pairs, key, root);
    expect(uris).toEqual(pairs.slice(0, 2).map((pair) => `/${pair}/${encodedPath(key)}`));
    for (const uri of uris) {
      expect(parseVariantKey(uri, root).kind).toBe('variant');
      expect(uriToKey(uri, 'origin/')).toBe(`origin/${uri.slice(1).replace(encodedPath(key), key)}`);
    }
  });

  it('under a prefix, only originals under it have variants, and those live under it too', () => {
    expect(candidateUris(['400w/default'], 'cat.jpg', images)).toEqual([]);
    expect(candidateUris(['400w/default'], 'images/cat.jpg', images)).toEqual(['/images/400w/default/cat.jpg']);
  });
});
