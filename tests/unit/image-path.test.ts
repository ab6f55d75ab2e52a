import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPath, decodePath, pathProblem } from '../../shared/image-path';

describe('decodePath reads a path as S3 does', () => {
  it.each([
    ['a+b.jpg', 'a b.jpg'],
    ['a%20b.jpg', 'a b.jpg'],
    ['a%2Bb.jpg', 'a+b.jpg'],
    ['a%2bb.jpg', 'a+b.jpg'],
    ['photos/2019/my+cat+%C3%A9t%C3%A9.jpg', 'photos/2019/my cat été.jpg'],
    ['400w/default/a++b.jpg', '400w/default/a  b.jpg'],
  ])('%s is the key %s', (encoded, key) => {
    expect(pathProblem(encoded)).toBeUndefined();
    expect(decodePath(encoded)).toBe(key);
  });
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

/** Encoded paths as a viewer might spell them: any character, percent-encoded or not, upper or lower hex, `+`. */
const spelled = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }).map(encodeURIComponent),
      fc.string({ unit: 'grapheme-ascii', maxLength: 8 }).map((s) => s.replace(/[%/\\?#]/g, '')),
      fc.string({ unit: 'grapheme', maxLength: 4 }).map((s) => encodeURIComponent(s).toLowerCase()),
      fc
        .string({ unit: 'grapheme-ascii', maxLength: 4 })
        .map((s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')),
      fc.constantFrom('+', 'a+b', '%2B', '%2b', '%20', '~', '%7E', '%7e', '(x)', '%E2%82%AC', '%zz', '%'),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((segments) => segments.join('/'));

describe('canonicalPath', () => {
  it.each([
    ['400w/default/%67rey.jpg', '400w/default/grey.jpg'],
    ['400w/default/g%72ey.jpg', '400w/default/grey.jpg'],
    ['%67%72ey.jpg', 'grey.jpg'],
    ['a+b.jpg', 'a%20b.jpg'],
    ['a%2bb.jpg', 'a%2Bb.jpg'],
    ['my%20cat%20%c3%a9t%c3%a9.jpg', 'my%20cat%20%C3%A9t%C3%A9.jpg'],
    ["it's(1)!*.jpg", 'it%27s%281%29%21%2A.jpg'],
    ['%7E~%2D-.jpg', '~~--.jpg'],
    ['a%2Fb.jpg', 'a%2Fb.jpg'],
    ['bad%zz.jpg', 'bad%zz.jpg'],
  ])('spells %s as %s', (path, canonical) => {
    expect(canonicalPath(path)).toBe(canonical);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(spelled, (path) => {
        expect(canonicalPath(canonicalPath(path))).toBe(canonicalPath(path));
      }),
      { numRuns: RUNS },
    );
  });

  // S3 reads `+` in a path as a space: the canonical spelling names the key S3 reads from the path as sent.
  it('names the S3 key the path names, for every valid path', () => {
    fc.assert(
      fc.property(spelled, (path) => {
        if (pathProblem(path)) return;
        expect(pathProblem(canonicalPath(path))).toBeUndefined();
        expect(decodePath(canonicalPath(path))).toBe(decodePath(path));
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps broken percent-encoding for pathProblem to refuse', () => {
    for (const path of ['bad%zz.jpg', 'bad%E0%A4.jpg', 'bad%.jpg'])
      expect(pathProblem(canonicalPath(path))).toBeDefined();
  });
});
