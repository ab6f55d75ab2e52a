/**
 * Bytes against picture quality: every photo resized once to a reference (kept as raw pixels), then encoded by
 * each format at several qualities and decoded again, SSIM (ssim.js) measured against the reference. So a
 * smaller file is never bought with a worse picture unnoticed: "equal SSIM" is the lowest quality of a format
 * whose SSIM reaches JPEG q80's on the same photo.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import { ssim } from 'ssim.js';
import type { EdgeConfig } from '../shared/config';
import type { OutputFormat } from '../shared/options';
import type { BenchInput } from './inputs';
import type { Table } from './table';
import { toolEnv, vipsAvifOptions, type Verdict } from './transform';

const run = promisify(execFile);

const WIDTH = 800;
/** Where the search for equal SSIM looks; SSIM grows with quality, so a bisection finds the lowest in ~6 encodes. */
const QUALITY_RANGE: Record<'webp' | 'avif', [number, number]> = { webp: [30, 100], avif: [20, 90] };

interface Reference {
  raw: Buffer;
  /** The same pixels as RGBA, what ssim.js compares: made once, not once per encode. */
  rgba: Buffer;
  width: number;
  height: number;
}

interface Encoded {
  bytes: number;
  ssim: number;
  encodeMs: number;
}

async function reference(photo: BenchInput): Promise<Reference> {
  const { data, info } = await sharp(photo.data)
    .autoOrient()
    .resize({ width: WIDTH, withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgba = await sharp(data, { raw: info }).ensureAlpha().raw().toBuffer();
  return { raw: data, rgba, width: info.width, height: info.height };
}

function encoder(
  format: OutputFormat,
  quality: number,
  config: EdgeConfig,
  extra: Record<string, unknown> = {},
): (s: Sharp) => Sharp {
  if (format === 'jpeg') return (s) => s.jpeg({ quality, ...extra });
  if (format === 'webp') return (s) => s.webp({ quality, ...extra });
  return (s) =>
    s.avif({ quality, effort: config.avifEffort, chromaSubsampling: config.avifChromaSubsampling, ...extra });
}

async function encode(ref: Reference, encodeWith: (s: Sharp) => Sharp): Promise<Encoded> {
  const raw = () => sharp(ref.raw, { raw: { width: ref.width, height: ref.height, channels: 3 } });
  const started = performance.now();
  const file = await encodeWith(raw()).toBuffer();
  const encodeMs = performance.now() - started;
  return { ...(await measure(ref, file)), encodeMs };
}

/** An encoded file's bytes, and its SSIM against the reference once decoded. */
async function measure(ref: Reference, file: Buffer): Promise<Omit<Encoded, 'encodeMs'>> {
  const decoded = await sharp(file).toColourspace('srgb').ensureAlpha().raw().toBuffer();
  const image = (data: Buffer) => ({
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: ref.width,
    height: ref.height,
  });
  // Full resolution (ssim.js would otherwise downsample to ~256 px, where every encoder looks perfect).
  return { bytes: file.length, ssim: ssim(image(ref.rgba), image(decoded), { downsample: false }).mssim };
}

/** The lowest quality of `format` reaching `target` SSIM, by bisection (the top of the range when none does). */
async function atEqualSsim(ref: Reference, format: 'webp' | 'avif', target: number, config: EdgeConfig) {
  let [low, high] = QUALITY_RANGE[format];
  const at = async (quality: number) => ({ ...(await encode(ref, encoder(format, quality, config))), quality });
  let best = await at(high);
  if (best.ssim < target) return { ...best, reached: false };
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    const candidate = await at(middle);
    if (candidate.ssim >= target) [best, high] = [candidate, middle];
    else low = middle;
  }
  return { ...best, reached: true };
}

const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

export async function benchBytes(
  photos: readonly BenchInput[],
  config: EdgeConfig,
  progress: (line: string) => void,
): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  const rows: string[][] = [];
  const totals = { jpeg: 0, webpDefault: 0, avifDefault: 0, webpEqual: 0, avifEqual: 0 };
  let defaultBelow = 0;
  for (const photo of photos) {
    const ref = await reference(photo);
    const jpeg = await encode(ref, encoder('jpeg', config.quality.jpeg, config));
    const webp = await encode(ref, encoder('webp', config.quality.webp, config));
    const avif = await encode(ref, encoder('avif', config.quality.avif, config));
    const webpEqual = await atEqualSsim(ref, 'webp', jpeg.ssim, config);
    const avifEqual = await atEqualSsim(ref, 'avif', jpeg.ssim, config);
    totals.jpeg += jpeg.bytes;
    totals.webpDefault += webp.bytes;
    totals.avifDefault += avif.bytes;
    totals.webpEqual += webpEqual.bytes;
    totals.avifEqual += avifEqual.bytes;
    if (avif.ssim < jpeg.ssim) defaultBelow++;
    rows.push([
      photo.label,
      `${jpeg.bytes} / ${jpeg.ssim.toFixed(4)} / ${jpeg.encodeMs.toFixed(0)}`,
      `${webp.bytes} / ${webp.ssim.toFixed(4)} / ${webp.encodeMs.toFixed(0)}`,
      `${avif.bytes} / ${avif.ssim.toFixed(4)} / ${avif.encodeMs.toFixed(0)}`,
      `q${webpEqual.quality}${webpEqual.reached ? '' : ' (not reached)'}: ${pct(webpEqual.bytes, jpeg.bytes)}`,
      `q${avifEqual.quality}${avifEqual.reached ? '' : ' (not reached)'}: ${pct(avifEqual.bytes, jpeg.bytes)}`,
    ]);
    progress(
      `bytes ${photo.label}: jpeg ${jpeg.bytes}, webp ${webp.bytes}, avif ${avif.bytes}, ` +
        `avif at equal SSIM q${avifEqual.quality} ${avifEqual.bytes}`,
    );
  }
  rows.push([
    'all photos',
    String(totals.jpeg),
    `${totals.webpDefault} (${pct(totals.webpDefault, totals.jpeg)})`,
    `${totals.avifDefault} (${pct(totals.avifDefault, totals.jpeg)})`,
    pct(totals.webpEqual, totals.jpeg),
    pct(totals.avifEqual, totals.jpeg),
  ]);
  const savedDefault = 1 - totals.avifDefault / totals.jpeg;
  const savedEqual = 1 - totals.avifEqual / totals.jpeg;
  return {
    tables: [
      {
        title:
          `Bytes and SSIM at ${WIDTH} wide: defaults JPEG q${config.quality.jpeg}, WebP q${config.quality.webp}, ` +
          `AVIF q${config.quality.avif} effort ${config.avifEffort} (bytes / SSIM / encode ms)`,
        note:
          "Equal SSIM: the lowest quality of that format whose SSIM reaches JPEG's on the same photo, " +
          "and its bytes as a share of JPEG's.",
        columns: ['photo', 'JPEG', 'WebP', 'AVIF (negotiated default)', 'WebP at equal SSIM', 'AVIF at equal SSIM'],
        rows,
      },
    ],
    verdicts: [
      {
        target: 'with negotiation on, at least 30% fewer bytes than JPEG q80 at equal SSIM across the photos',
        measured:
          `AVIF at equal SSIM ${Math.round(savedEqual * 100)}% fewer; ` +
          `the AVIF default ${Math.round(savedDefault * 100)}% fewer ` +
          `(its SSIM below JPEG's on ${defaultBelow} of ${photos.length} photos)`,
        pass: savedEqual >= 0.3 && savedDefault >= 0.3,
      },
    ],
  };
}

/**
 * Encoder levers on one photo: mozjpeg's trellis quantisation, AVIF effort and chroma subsampling. Bytes, SSIM,
 * encode time. And Debian's libvips saving the same pixels with vipsthumbnail's AVIF settings, to show what
 * its "Q" makes next to sharp's (they bundle different libheif and libaom builds).
 */
export async function benchEncoderLevers(photo: BenchInput, config: EdgeConfig): Promise<Table> {
  const ref = await reference(photo);
  const { avif } = config.quality;
  const other = config.avifChromaSubsampling === '4:2:0' ? '4:4:4' : '4:2:0';
  const cases: [string, (s: Sharp) => Sharp][] = [
    [`JPEG q${config.quality.jpeg} (default)`, encoder('jpeg', config.quality.jpeg, config)],
    [`JPEG q${config.quality.jpeg} mozjpeg`, encoder('jpeg', config.quality.jpeg, config, { mozjpeg: true })],
    ...[2, 4, 6].map((effort): [string, (s: Sharp) => Sharp] => [
      `AVIF q${avif} effort ${effort} ${config.avifChromaSubsampling}`,
      encoder('avif', avif, config, { effort }),
    ]),
    [`AVIF q${avif} effort ${config.avifEffort} ${other}`, encoder('avif', avif, config, { chromaSubsampling: other })],
  ];
  const rows: string[][] = [];
  const median3 = (runs: Encoded[]) => runs.sort((a, b) => a.encodeMs - b.encodeMs)[1]!;
  for (const [name, encodeWith] of cases) {
    const best = median3([await encode(ref, encodeWith), await encode(ref, encodeWith), await encode(ref, encodeWith)]);
    rows.push([name, String(best.bytes), best.ssim.toFixed(4), best.encodeMs.toFixed(0)]);
  }
  const debian = await debianHeifsave(ref, config, 3);
  if (debian) {
    const best = median3(debian);
    rows.push([
      `Debian libvips (vipsthumbnail's) Q=${avif} effort ${config.avifEffort} ` +
        `${config.avifChromaSubsampling}, a process`,
      String(best.bytes),
      best.ssim.toFixed(4),
      best.encodeMs.toFixed(0),
    ]);
  }
  return {
    title: `Encoder levers (${photo.label} at ${WIDTH} wide; median encode ms of 3)`,
    note:
      'The Debian libvips row runs `vips copy` on the reference saved as PNG: ' +
      'its time includes the process and reading the PNG.',
    columns: ['encoder', 'bytes', 'SSIM', 'encode ms'],
    rows,
  };
}

/**
 * `vips copy ref.png out.avif[...]` with the settings the transform bench gives vipsthumbnail, `runs` times;
 * undefined when Debian's `vips` is not installed.
 */
async function debianHeifsave(ref: Reference, config: EdgeConfig, runs: number): Promise<Encoded[] | undefined> {
  const folder = mkdtempSync(join(tmpdir(), 'edge-resize-bench-heif-'));
  try {
    const png = join(folder, 'ref.png');
    const out = join(folder, 'out.avif');
    await sharp(ref.raw, { raw: { width: ref.width, height: ref.height, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toFile(png);
    const args = ['copy', png, `${out}${vipsAvifOptions(config.quality.avif, config)}`];
    const once = async (): Promise<Encoded> => {
      const started = performance.now();
      await run('vips', args, { env: toolEnv() });
      const encodeMs = performance.now() - started;
      return { ...(await measure(ref, readFileSync(out))), encodeMs };
    };
    try {
      await once(); // warm-up, and the test that vips is there
    } catch {
      return undefined;
    }
    const results: Encoded[] = [];
    for (let i = 0; i < runs; i++) results.push(await once());
    return results;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
