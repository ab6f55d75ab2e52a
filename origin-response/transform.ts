/**
 * Where a key becomes an image: one sharp pipeline from the original's bytes to the variant's bytes.
 *
 * The header is read first (no pixel decode) so pixel bombs, non-images and SVG are refused before any work.
 * Then a single decode with shrink-on-load (libvips decodes JPEG/WebP at reduced scale when the target is
 * small), EXIF orientation applied, resize to fit inside the box without enlargement, greyscale for `bw`, and
 * the original's format out. Metadata (EXIF, GPS, XMP) is stripped and colours are converted to sRGB.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { EdgeConfig } from '../shared/config';
import type { VariantOptions } from '../shared/options';

/** The original cannot be turned into a variant; `reason` is one line for the viewer and the log. */
export class UnprocessableImage extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnprocessableImage';
  }
}

/** Formats we read and write; anything else (SVG, PDF, RAW…) is refused. */
const OUTPUT_FORMATS = {
  jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif', tiff: 'image/tiff',
} as const;
type OutputFormat = keyof typeof OUTPUT_FORMATS;

export interface TransformResult {
  data: Buffer;
  contentType: string;
  width: number;
  height: number;
}

export async function transform(input: Buffer, options: VariantOptions, config: EdgeConfig): Promise<TransformResult> {
  // sharp throws synchronously on an empty buffer, so refuse it before constructing.
  if (input.length === 0) throw new UnprocessableImage('the original is empty');
  const header = await readHeader(input, config);
  const format = outputFormat(header);
  const animated = isAnimated(header, config);
  const pipeline = sharp(input, { limitInputPixels: config.maxInputPixels, animated, failOn: 'warning' })
    .timeout({ seconds: config.transformTimeoutSeconds })
    .autoOrient()
    .resize({ width: options.width, height: options.height, fit: 'inside', withoutEnlargement: true });
  applyStyles(pipeline, options, header);
  encode(pipeline, format, config);
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { data, contentType: OUTPUT_FORMATS[format], width: info.width, height: info.pageHeight ?? info.height };
  } catch (error) {
    throw new UnprocessableImage(`the original could not be decoded (${sharpMessage(error)})`);
  }
}

/** Header only: format, dimensions, frames. Enforces the pixel limit across all frames. */
async function readHeader(input: Buffer, config: EdgeConfig): Promise<Metadata> {
  let header: Metadata;
  try {
    header = await sharp(input, { limitInputPixels: config.maxInputPixels }).metadata();
  } catch (error) {
    const message = sharpMessage(error);
    if (/pixel limit/i.test(message)) throw new UnprocessableImage(`the original has more than ${config.maxInputPixels} pixels`);
    throw new UnprocessableImage('the original is not an image we can read');
  }
  const frames = isAnimated(header, config) ? (header.pages ?? 1) : 1;
  const pixels = (header.width ?? 0) * (header.pageHeight ?? header.height ?? 0) * frames;
  if (pixels > config.maxInputPixels) throw new UnprocessableImage(`the original has more than ${config.maxInputPixels} pixels`);
  return header;
}

function outputFormat(header: Metadata): OutputFormat {
  const format = header.format as string;
  // sharp reports AVIF as `heif` (its container); HEIC (HEVC) is not decodable by the prebuilt libvips.
  if (format === 'heif') return 'avif';
  if (format in OUTPUT_FORMATS) return format as OutputFormat;
  throw new UnprocessableImage(`the original is ${format === 'svg' ? 'SVG, which is not resized' : `a ${format} file, not a supported image`}`);
}

/** GIF and WebP keep their animation up to `maxFrames` frames; longer ones are cut to the first frame. */
function isAnimated(header: Metadata, config: EdgeConfig): boolean {
  const pages = header.pages ?? 1;
  return (header.format === 'gif' || header.format === 'webp') && pages > 1 && pages <= config.maxFrames;
}

function applyStyles(pipeline: Sharp, options: VariantOptions, header: Metadata): void {
  const grey = options.styles.includes('bw') || header.space === 'b-w';
  // One channel out for greyscale (a third of the bytes); sharp would otherwise write three equal channels.
  if (grey) pipeline.greyscale().toColourspace('b-w');
  else if (header.icc && header.space === 'srgb') pipeline.keepIccProfile(); // keeps wide-gamut (Display P3) photos right
}

function encode(pipeline: Sharp, format: OutputFormat, config: EdgeConfig): void {
  const quality = config.quality;
  const settings: { [F in OutputFormat]: () => void } = {
    jpeg: () => pipeline.jpeg({ quality }),
    png: () => pipeline.png({ compressionLevel: 6 }),
    webp: () => pipeline.webp({ quality }),
    gif: () => pipeline.gif(),
    avif: () => pipeline.avif({ quality: Math.round(quality * 0.65), effort: 4 }),
    tiff: () => pipeline.tiff({ quality }),
  };
  settings[format]();
}

function sharpMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() ?? 'unknown error';
}
