import { describe, expect, it } from 'vitest';
import { decodePath, pathProblem } from '../../shared/image-path';

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
