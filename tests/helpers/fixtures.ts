/** The shipped fixtures (see tests/fixtures/ATTRIBUTION.md) and broken inputs derived from them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const PHOTOS = `${FIXTURES}photos/`;

export function photo(name: string): Buffer {
  return readFileSync(`${PHOTOS}${name}`);
}

export function hostile(name: string): Buffer {
  return readFileSync(`${FIXTURES}hostile/${name}`);
}

/** The first half of a real file: a header that promises more than the data holds. */
export function truncated(name: string): Buffer {
  const whole = photo(name);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

export const TEXT_NAMED_JPG = Buffer.from('This is not a picture, only text with a .jpg name.\n');

export const SVG_WITH_SCRIPT = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script>' +
  '<rect width="100" height="100" fill="red"/></svg>',
);
