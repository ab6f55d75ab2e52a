import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniff } from '../../origin-response/sniff';
import { hostile, photo, SVG_WITH_SCRIPT, TEXT_NAMED_JPG, truncated } from '../helpers/fixtures';

const SUPPORTED = 'JPEG, PNG, WebP, AVIF, GIF or TIFF';

/** The S3 error body a misconfigured copy may have stored under an image's name. */
const S3_ERROR_XML = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>' +
    '<Message>The specified key does not exist.</Message><Key>photos/cat.jpg</Key></Error>\n',
);

describe('sniff lets the supported raster formats through', () => {
  it.each([
    ['orient6.jpg', 'jpeg'],
    ['grey.jpg', 'jpeg'],
    ['alpha-photo.png', 'png'],
    ['animated.gif', 'gif'],
  ])('%s is %s', (name, format) => {
    expect(sniff(photo(name))).toEqual({ kind: 'raster', format });
  });

  it.each(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff'] as const)('a %s made by sharp', async (format) => {
    const image = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#336699' } })
      .toFormat(format)
      .toBuffer();
    expect(sniff(image)).toEqual({ kind: 'raster', format });
  });

  it('a big-endian TIFF', async () => {
    const image = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .tiff()
      .toBuffer();
    const bigEndian = Buffer.concat([Buffer.from([0x4d, 0x4d, 0x00, 0x2a]), image.subarray(4)]);
    expect(sniff(bigEndian)).toEqual({ kind: 'raster', format: 'tiff' });
  });

  it('files that start right but are broken or huge pass: sharp refuses them from their header', () => {
    expect(sniff(truncated('medium-2mp.jpg'))).toEqual({ kind: 'raster', format: 'jpeg' });
    expect(sniff(truncated('alpha-photo.png'))).toEqual({ kind: 'raster', format: 'png' });
    expect(sniff(hostile('bomb-30000x30000.png'))).toEqual({ kind: 'raster', format: 'png' });
    expect(sniff(hostile('bomb-749mp-progressive.head.jpg'))).toEqual({ kind: 'raster', format: 'jpeg' });
  });
});

describe('sniff refuses everything else, saying what it is', () => {
  it.each([
    ['an SVG', SVG_WITH_SCRIPT, 'SVG'],
    [
      'an SVG with an XML prolog',
      Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
      'SVG',
    ],
    ['an SVG after a byte-order mark and blank lines', Buffer.from('\ufeff\n\n  <svg/>'), 'SVG'],
    ['an SVG with a doctype', Buffer.from('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>'), 'SVG'],
    ['HTML', Buffer.from('<!DOCTYPE html><html><body>hello</body></html>'), 'HTML'],
    ["S3's error XML", S3_ERROR_XML, 'XML'],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'a PDF'],
    [
      'a HEIC photo',
      Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')]),
      'an ISO media file (brand heic)',
    ],
  ])('%s', (_name, bytes, what) => {
    expect(sniff(bytes)).toEqual({
      kind: 'refused',
      code: 'unsupported-format',
      reason: `the original is ${what}, not a ${SUPPORTED} image`,
    });
  });

  it.each([
    ['text named .jpg', TEXT_NAMED_JPG],
    ['one byte', Buffer.from([0xff])],
    ['random bytes', Buffer.from('3q2+7wABAgMEBQYHCAkKCwwNDg8=', 'base64')],
  ])('%s', (_name, bytes) => {
    const reason = `the original is not a ${SUPPORTED} image`;
    expect(sniff(bytes)).toEqual({ kind: 'refused', code: 'unsupported-format', reason });
  });

  it('an empty file', () => {
    expect(sniff(Buffer.alloc(0))).toEqual({ kind: 'refused', code: 'empty', reason: 'the original is empty' });
  });
});
