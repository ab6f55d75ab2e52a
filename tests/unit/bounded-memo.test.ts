import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../shared/bounded-memo';

describe('boundedMemo', () => {
  it('computes a key once and answers it again from memory', () => {
    const calls: string[] = [];
    const length = boundedMemo(4, (key) => (calls.push(key), key.length));
    for (const key of ['a', 'bb', 'a', 'bb', 'a']) expect(length(key)).toBe(key.length);
    expect(calls).toEqual(['a', 'bb']);
  });

  it('forgets everything once full, then remembers again', () => {
    const limit = 3;
    const calls: string[] = [];
    const upper = boundedMemo(limit, (key) => (calls.push(key), key.toUpperCase()));
    const keys = Array.from({ length: limit + 1 }, (_, i) => `k${i}`);
    for (const key of keys) expect(upper(key)).toBe(key.toUpperCase());
    // The last key arrived when the map was full: it cleared, so the first key is computed again.
    expect(upper(keys[0]!)).toBe(keys[0]!.toUpperCase());
    expect(calls).toEqual([...keys, keys[0]]);
    expect(upper(keys[limit]!)).toBe(keys[limit]!.toUpperCase());
    expect(calls).toHaveLength(limit + 2);
  });
});
