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

/** Makes ordinary-for-photographers originals from a solid colour: CMYK, progressive, 16-bit, wide-gamut. */
export async function colourPatch(rgb: [number, number, number], size = 64) {
  const { default: sharp } = await import('sharp');
  const base = sharp({
    create: { width: size, height: size, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  });
  return {
    // As print workflows write it: CMYK numbers with the CMYK profile that gives them meaning embedded.
    cmykJpeg: await base.clone().withIccProfile('cmyk').jpeg({ quality: 95 }).toBuffer(),
    progressiveJpeg: await base.clone().jpeg({ quality: 95, progressive: true }).toBuffer(),
    png16: await base.clone().toColourspace('rgb16').png().toBuffer(),
    // The same colour stored as Display P3 numbers with the P3 profile embedded (as iPhones write photos).
    p3Jpeg: await base.clone().withIccProfile('p3').jpeg({ quality: 95 }).toBuffer(),
  };
}

/** A 36 MP PNG of sparse noise: under the pixel limit, but slow to encode, for the transform budget. */
export async function heavyPng(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const side = 6000;
  const raw = Buffer.alloc(side * side * 3);
  for (let i = 0; i < raw.length; i += 64) raw.writeUInt32LE((i * 2654435761) >>> 0, i);
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
