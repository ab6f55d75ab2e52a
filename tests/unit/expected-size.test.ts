import { describe, expect, it } from 'vitest';
import { expectedSize, sizeProblem } from '../../local/expected-size';

const MEDIUM = { width: 1920, height: 1280 };
/** orient6.jpg as shown: stored 640 x 428 with EXIF orientation 6 (rotated a quarter turn). */
const PORTRAIT = { width: 428, height: 640 };

describe('the size a variant must have', () => {
  it('is the original for a style-only variant', () => {
    expect(expectedSize({}, MEDIUM)).toEqual({ width: { min: 1920, max: 1920 }, height: { min: 1280, max: 1280 } });
  });

  it('is exactly the box for cover, contain and fill, whatever the original', () => {
    for (const fit of ['cover', 'contain', 'fill'] as const) {
      expect(expectedSize({ width: 2000, height: 64, fit }, PORTRAIT)).toEqual({
        width: { min: 2000, max: 2000 },
        height: { min: 64, max: 64 },
      });
    }
  });

  it('gives the binding side exactly and the other the floor or ceiling of the proportion', () => {
    // 1280 x 400 / 1920 = 266.67
    expect(expectedSize({ width: 400 }, MEDIUM)).toEqual({
      width: { min: 400, max: 400 },
      height: { min: 266, max: 267 },
    });
    // 428 x 64 / 640 = 42.8, boxed by the height on the portrait
    expect(expectedSize({ height: 64 }, PORTRAIT)).toEqual({
      width: { min: 42, max: 43 },
      height: { min: 64, max: 64 },
    });
    // A box: the side that shrinks more binds (1280 / 100 beats 1920 / 1000).
    expect(expectedSize({ width: 1000, height: 100 }, MEDIUM)).toEqual({
      width: { min: 150, max: 150 },
      height: { min: 100, max: 100 },
    });
  });

  it('never enlarges an inside fit, even when only one side of the box is smaller than the original', () => {
    expect(expectedSize({ width: 2000 }, MEDIUM)).toEqual({
      width: { min: 1920, max: 1920 },
      height: { min: 1280, max: 1280 },
    });
    expect(expectedSize({ width: 600, height: 2000 }, PORTRAIT)).toEqual({
      width: { min: 428, max: 428 },
      height: { min: 640, max: 640 },
    });
    expect(expectedSize({ width: 2000, height: 400 }, PORTRAIT).height).toEqual({ min: 400, max: 400 });
  });

  it('keeps the proportional side within the box', () => {
    // 2560 x 1600 into 100 x 62: the height binds (a shrink of 25.8 beats 25.6); the width, 99.2 exactly, is 99 or 100.
    expect(expectedSize({ width: 100, height: 62 }, { width: 2560, height: 1600 }).width).toEqual({
      min: 99,
      max: 100,
    });
  });

  it('says what is wrong with a size that does not fit', () => {
    const expected = expectedSize({ width: 400 }, MEDIUM);
    expect(sizeProblem({ width: 400, height: 267 }, expected)).toBeUndefined();
    expect(sizeProblem({ width: 400, height: 266 }, expected)).toBeUndefined();
    expect(sizeProblem({ width: 400, height: 268 }, expected)).toBe('is 400x268, expected 400x266..267');
    expect(sizeProblem({ width: 1920, height: 1280 }, expected)).toBe('is 1920x1280, expected 400x266..267');
  });
});
