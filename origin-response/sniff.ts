/**
 * The original's format from its first bytes, before sharp reads anything: only the raster formats we resize
 * pass (JPEG, PNG, WebP, AVIF, GIF, TIFF). SVG, XML, HTML, text and everything else are refused here, in
 * constant time, because sharp's header read parses an SVG whole (a large one costs seconds and gigabytes).
 */
import type { SourceFormat } from '../shared/options';

export type Sniffed =
  { kind: 'raster'; format: SourceFormat } | { kind: 'refused'; code: 'empty' | 'unsupported-format'; reason: string };

const SUPPORTED = 'JPEG, PNG, WebP, AVIF, GIF or TIFF';

/** ISO BMFF brands that mark an AVIF (still or sequence); other HEIF brands (HEIC) are not decodable here. */
const AVIF_BRANDS = new Set(['avif', 'avis']);

export function sniff(input: Buffer): Sniffed {
  if (input.length === 0) return { kind: 'refused', code: 'empty', reason: 'the original is empty' };
  const format = rasterFormat(input);
  if (format) return { kind: 'raster', format };
  const what = describe(input);
  const reason = `the original is ${what ? `${what}, ` : ''}not a ${SUPPORTED} image`;
  return { kind: 'refused', code: 'unsupported-format', reason };
}

function rasterFormat(b: Buffer): SourceFormat | undefined {
  // As libvips' own loaders tell them apart.
  if (startsWith(b, 0, [0xff, 0xd8])) return 'jpeg';
  if (startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(b, 0, 4) === 'GIF8') return 'gif';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  // Classic TIFF (42) and BigTIFF (43), little- or big-endian.
  if (startsWith(b, 0, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, 0, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(b, 0, [0x49, 0x49, 0x2b, 0x00]) || startsWith(b, 0, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (isAvif(b)) return 'avif';
  return undefined;
}

/** An ISO BMFF `ftyp` box first, naming an AVIF brand as its major brand or among its compatible brands. */
function isAvif(b: Buffer): boolean {
  if (b.length < 16 || ascii(b, 4, 4) !== 'ftyp') return false;
  const boxSize = b.readUInt32BE(0);
  if (boxSize < 16 || boxSize > 4096) return false;
  const end = Math.min(boxSize, b.length);
  if (AVIF_BRANDS.has(ascii(b, 8, 4))) return true;
  // Compatible brands follow the major brand and its minor version.
  for (let at = 16; at + 4 <= end; at += 4) if (AVIF_BRANDS.has(ascii(b, at, 4))) return true;
  return false;
}

/** A short name for what the bytes look like, for the refusal's reason, when they look like something. */
function describe(b: Buffer): string | undefined {
  if (ascii(b, 4, 4) === 'ftyp') return `an ISO media file (brand ${printable(ascii(b, 8, 4))})`;
  if (startsWith(b, 0, [0x25, 0x50, 0x44, 0x46])) return 'a PDF';
  // Markup: skip a byte-order mark and white space, then look at the first tag.
  const head = b
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^(\xef\xbb\xbf|\xfe\xff|\xff\xfe)/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<') && head.includes('<svg'))) return 'SVG';
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'HTML';
  if (head.startsWith('<?xml') || head.startsWith('<')) return 'XML';
  return undefined;
}

function startsWith(b: Buffer, at: number, bytes: readonly number[]): boolean {
  if (b.length < at + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (b[at + i] !== bytes[i]) return false;
  return true;
}

function ascii(b: Buffer, at: number, length: number): string {
  return b.length < at + length ? '' : b.toString('latin1', at, at + length);
}

function printable(text: string): string {
  return /^[\x20-\x7e]+$/.test(text) ? text : '?';
}
