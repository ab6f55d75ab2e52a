/**
 * Where a key becomes an image: one sharp pipeline from the original's bytes to the variant's bytes.
 *
 * The header is read first (no pixel decode) so pixel bombs, non-images and SVG are refused before any work.
 * Then a single decode with shrink-on-load (libvips decodes JPEG/WebP at reduced scale when the target is
 * small), EXIF orientation applied, resize, styles (greyscale, then blur), and the encoder. Metadata (EXIF, GPS,
 * XMP, ICC) is stripped after colours are converted to sRGB through the embedded profile (CMYK, Display P3,
 * Adobe RGB alike), which is what an untagged image on the web means.
 */
import sharp, { type Metadata, type ResizeOptions, type Sharp } from 'sharp';
import type { EdgeConfig } from '../shared/config';
import { DEFAULT_BACKGROUND, type SourceFormat, type VariantOptions } from '../shared/options';
import { planWork, type FrameHeader } from './budget';

/** Why an original was refused, for metrics: a small fixed set, unlike the reasons' text. */
export type RefusalCode =
  'empty' | 'not-an-image' | 'unsupported-format' | 'too-many-pixels' | 'over-budget' | 'corrupt' | 'timeout';

/**
 * The original cannot be turned into a variant; `reason` is one line for the viewer and the log. A `timeout`
 * is the deadline running out (a server-side limit, answered 503); the others are deterministic, so a repeat
 * gets the same answer.
 */
export class UnprocessableImage extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'UnprocessableImage';
  }
}

/** Formats we read and write, with the `Content-Type` of each; anything else (SVG, PDF, RAW…) is refused. */
const CONTENT_TYPES: Readonly<Record<SourceFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
};

export interface TransformResult {
  data: Buffer;
  contentType: string;
  width: number;
  height: number;
}

/** Process-wide sharp settings from the configuration; the handler calls it once, when it is created. */
export function configureSharp(config: EdgeConfig): void {
  sharp.concurrency(config.libvipsThreads);
}

/**
 * What a variant of `input` will cost, from its header alone (no pixel decoded); throws `UnprocessableImage` for
 * an original that cannot or may not be made into this variant.
 */
export async function plannedWork(input: Buffer, options: VariantOptions, config: EdgeConfig): Promise<PlannedWork> {
  // sharp throws synchronously on an empty buffer, so refuse it before constructing.
  if (input.length === 0) throw new UnprocessableImage('empty', 'the original is empty');
  const header = await readHeader(input, config);
  const output = options.format ?? inputFormat(header);
  const mayAnimate = isAnimated(header, config) && (output === 'gif' || output === 'webp');
  const plan = planWork(frameHeader(header, mayAnimate), options, output, config);
  if (plan.kind === 'over-budget') throw new UnprocessableImage('over-budget', plan.reason);
  return { header, output, animated: plan.animated, megapixels: plan.megapixels };
}

export interface PlannedWork {
  header: Metadata;
  output: SourceFormat;
  animated: boolean;
  /** Weighted megapixels (config.workBudget). */
  megapixels: number;
}

/** `planned`: the original's `plannedWork` when the caller read it already, so the header is read once. */
export async function transform(
  input: Buffer,
  options: VariantOptions,
  config: EdgeConfig,
  planned?: PlannedWork,
): Promise<TransformResult> {
  const { header, output, animated } = planned ?? (await plannedWork(input, options, config));
  const pipeline = sharp(input, { limitInputPixels: config.maxInputPixels, animated, failOn: 'warning' })
    .timeout({ seconds: config.transformTimeoutSeconds })
    .autoOrient()
    .resize(resizeOptions(options));
  applyStyles(pipeline, options, header, config);
  // JPEG has no alpha: flatten onto white, or transparent areas turn black.
  if (output === 'jpeg' && header.hasAlpha) pipeline.flatten({ background: `#${DEFAULT_BACKGROUND}` });
  encode(pipeline, output, options.quality, config);
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { data, contentType: CONTENT_TYPES[output], width: info.width, height: info.pageHeight ?? info.height };
  } catch (error) {
    const message = sharpMessage(error);
    if (/^timeout/i.test(message)) {
      const seconds = config.transformTimeoutSeconds;
      throw new UnprocessableImage('timeout', `the image took longer than ${seconds} s to generate`);
    }
    throw new UnprocessableImage('corrupt', `the original could not be decoded (${message})`);
  }
}

/**
 * `inside` never enlarges; `cover`, `contain` and `fill` give exactly the box asked for. sharp reads the position
 * only for `cover` and `contain`, and the background only for `contain` (the bars around the image).
 */
function resizeOptions(options: VariantOptions): ResizeOptions {
  const { width, height, fit = 'inside' } = options;
  const position = options.position ?? 'centre';
  const background = `#${options.background ?? DEFAULT_BACKGROUND}`;
  return { width, height, fit, position, background, withoutEnlargement: fit === 'inside' };
}

/** Header only: format, dimensions, frames. Enforces the pixel limit across all frames. */
async function readHeader(input: Buffer, config: EdgeConfig): Promise<Metadata> {
  let header: Metadata;
  try {
    header = await sharp(input, { limitInputPixels: config.maxInputPixels }).metadata();
  } catch (error) {
    const message = sharpMessage(error);
    if (/pixel limit/i.test(message)) throw tooManyPixels(config);
    throw new UnprocessableImage('not-an-image', 'the original is not an image we can read');
  }
  const frames = isAnimated(header, config) ? (header.pages ?? 1) : 1;
  const pixels = (header.width ?? 0) * (header.pageHeight ?? header.height ?? 0) * frames;
  if (pixels > config.maxInputPixels) throw tooManyPixels(config);
  return header;
}

function tooManyPixels(config: EdgeConfig): UnprocessableImage {
  return new UnprocessableImage('too-many-pixels', `the original has more than ${config.maxInputPixels} pixels`);
}

/** One frame's size after EXIF orientation, and the frames an animated output would keep. */
function frameHeader(header: Metadata, animated: boolean): FrameHeader {
  const width = header.width ?? 0;
  const height = header.pageHeight ?? header.height ?? 0;
  const turned = (header.orientation ?? 1) >= 5;
  const frames = animated ? (header.pages ?? 1) : 1;
  return turned ? { width: height, height: width, frames } : { width, height, frames };
}

/** The original's real format, from its bytes (a PNG named `.jpg` stays PNG, and says so in Content-Type). */
function inputFormat(header: Metadata): SourceFormat {
  const format = header.format as string;
  // sharp reports AVIF as `heif` (its container); HEIC (HEVC) is not decodable by the prebuilt libvips.
  if (format === 'heif') return 'avif';
  if (format in CONTENT_TYPES) return format as SourceFormat;
  const what =
    format === 'svg'
      ? 'SVG, which is not resized (scripts and external references)'
      : `a ${format} file, not a supported image`;
  throw new UnprocessableImage('unsupported-format', `the original is ${what}`);
}

/** GIF and WebP keep their animation up to `maxFrames` frames; longer ones are cut to the first frame. */
function isAnimated(header: Metadata, config: EdgeConfig): boolean {
  const pages = header.pages ?? 1;
  return (header.format === 'gif' || header.format === 'webp') && pages > 1 && pages <= config.maxFrames;
}

function applyStyles(pipeline: Sharp, options: VariantOptions, header: Metadata, config: EdgeConfig): void {
  const grey = options.styles.includes('bw') || header.space === 'b-w';
  // One channel out for greyscale (a third of the bytes); sharp would otherwise write three equal channels.
  if (grey) pipeline.greyscale().toColourspace('b-w');
  if (options.styles.includes('blur')) pipeline.blur(config.blurSigma);
}

function encode(pipeline: Sharp, format: SourceFormat, requested: number | undefined, config: EdgeConfig): void {
  const quality = (lossy: 'jpeg' | 'webp' | 'avif' | 'tiff') => requested ?? config.quality[lossy];
  const encoders: { [F in SourceFormat]: () => void } = {
    jpeg: () => pipeline.jpeg({ quality: quality('jpeg') }),
    png: () => pipeline.png({ compressionLevel: 6 }),
    webp: () => pipeline.webp({ quality: quality('webp') }),
    gif: () => pipeline.gif(),
    avif: () =>
      pipeline.avif({
        quality: quality('avif'),
        effort: config.avifEffort,
        chromaSubsampling: config.avifChromaSubsampling,
      }),
    tiff: () => pipeline.tiff({ quality: quality('tiff') }),
  };
  encoders[format]();
}

function sharpMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() ?? 'unknown error';
}
