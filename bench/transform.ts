/**
 * Transform, S3 excluded: our origin-response transform (`origin-response/transform.ts`, in-process) against
 * the ideal sharp call for the same output, libvips's `vipsthumbnail`, ImageMagick's and GraphicsMagick's
 * thumbnail paths, and the 2019 design's naive pipeline (decode every pixel, then resize).
 *
 * Every contender makes the same output: the width asked for (never enlarged), the same format and quality.
 * The command-line tools are timed as a viewer would pay for them, process start and file I/O included; each
 * writes into a temporary folder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import { REPO_ROOT } from '../local/paths';
import { transform, UnprocessableImage } from '../origin-response/transform';
import type { EdgeConfig } from '../shared/config';
import { sourceFormat, type OutputFormat } from '../shared/options';
import type { BenchInput } from './inputs';
import { compare, ms, ratio, type Contender, type Timing } from './timing';
import type { Table } from './table';

const run = promisify(execFile);

/**
 * The tools' environment: as many threads as our transform has (sharp.concurrency(): the function's one vCPU at
 * its configured memory), so every contender does the same work with the same CPU; and ours less `VIPSHOME`,
 * which loading sharp sets to its bundled libvips's prefix (`/target`), where Debian's vipsthumbnail would look
 * for its format modules and find no AVIF.
 */
export function toolEnv(): NodeJS.ProcessEnv {
  const threads = String(sharp.concurrency());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIPS_CONCURRENCY: threads,
    OMP_NUM_THREADS: threads,
    MAGICK_THREAD_LIMIT: threads,
  };
  delete env.VIPSHOME;
  return env;
}

/**
 * libvips's save options for the AVIF ours writes: its quality, effort, and chroma subsampling given explicitly
 * (libvips's default, auto, picks 4:2:0 below Q=90).
 */
export function vipsAvifOptions(quality: number, config: EdgeConfig): string {
  const subsample = config.avifChromaSubsampling === '4:2:0' ? 'on' : 'off';
  return `[Q=${quality},effort=${config.avifEffort},subsample_mode=${subsample},strip]`;
}

export const WIDTHS = [200, 800, 2000] as const;
export const FORMATS: readonly OutputFormat[] = ['jpeg', 'webp', 'avif'];

/** External tools, found on PATH by name; a missing one is reported, never silently dropped. */
export const TOOLS = {
  vipsthumbnail: 'vipsthumbnail',
  imagemagick: 'convert-im6.q16',
  graphicsmagick: 'gm',
} as const;

export interface Cell {
  input: string;
  width: number;
  format: OutputFormat;
  timings: Timing[];
}

interface Job {
  input: BenchInput;
  /** The width asked for; the tools get it clamped to the original's, as ours never enlarges. */
  width: number;
  format: OutputFormat;
  quality: number;
  out: (ext: string) => string;
}

const EXT: Record<OutputFormat, string> = { jpeg: 'jpg', webp: 'webp', avif: 'avif', png: 'png' };

/** `sharp(...)...jpeg()/webp()/avif()` with our defaults, the alpha flattened for JPEG as ours does. */
function encodeLike(pipeline: Sharp, job: Job, config: EdgeConfig): Sharp {
  if (job.format === 'jpeg') return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: job.quality });
  if (job.format === 'webp') return pipeline.webp({ quality: job.quality });
  return pipeline.avif({
    quality: job.quality,
    effort: config.avifEffort,
    chromaSubsampling: config.avifChromaSubsampling,
  });
}

function contenders(job: Job, config: EdgeConfig, available: ReadonlySet<string>): Contender[] {
  const { input, format } = job;
  const width = Math.min(job.width, input.width);
  const source = sourceFormat(input.file);
  const options = { width: job.width, styles: [], ...(format === source ? {} : { format }) };
  const list: Contender[] = [
    { name: 'ours', run: () => transform(input.data, options, config) },
    {
      name: 'ideal sharp',
      run: () => encodeLike(sharp(input.data).resize({ width, withoutEnlargement: true }), job, config).toBuffer(),
    },
  ];
  if (format === 'jpeg') {
    list.push({
      name: 'naive 2019',
      run: async () => {
        // Every pixel decoded first, so libvips cannot shrink on load: what the 2019 design's code did.
        const decoded = await sharp(input.data).raw().toBuffer({ resolveWithObject: true });
        const raw = sharp(decoded.data, { raw: decoded.info });
        return encodeLike(raw.resize({ width, withoutEnlargement: true }), job, config).toBuffer();
      },
    });
  }
  const q = job.quality;
  const out = job.out(EXT[format]);
  // JPEG has no alpha: every contender flattens onto white, as ours does.
  const flatten = format === 'jpeg' && input.hasAlpha ? ['-background', 'white', '-flatten'] : [];
  const vipsOptions = format === 'avif' ? vipsAvifOptions(q, config) : `[Q=${q},strip]`;
  const external: [string, string, string[]][] = [
    ['vipsthumbnail', TOOLS.vipsthumbnail, [input.path, '-s', `${width}x`, '-o', `${out}${vipsOptions}`]],
  ];
  if (format !== 'avif') {
    // jpeg:size lets libjpeg decode at a reduced scale, at least twice the target so quality holds.
    const hint = ['-define', `jpeg:size=${2 * width}x1`];
    external.push(
      [
        'IM -thumbnail',
        TOOLS.imagemagick,
        [...hint, input.path, '-thumbnail', `${width}x`, ...flatten, '-quality', String(q), out],
      ],
      [
        'IM tuned -resize',
        TOOLS.imagemagick,
        [...hint, input.path, '-resize', `${width}x`, '-strip', ...flatten, '-quality', String(q), out],
      ],
    );
  }
  if (format === 'jpeg') {
    external.push(
      [
        'GM tuned',
        TOOLS.graphicsmagick,
        [
          'convert',
          '-size',
          `${2 * width}x1`,
          input.path,
          '-resize',
          `${width}x`,
          '+profile',
          '*',
          ...flatten,
          '-quality',
          String(q),
          out,
        ],
      ],
      [
        'IM plain -resize',
        TOOLS.imagemagick,
        [input.path, '-resize', `${width}x`, ...flatten, '-quality', String(q), out],
      ],
    );
  }
  for (const [name, command, args] of external) {
    if (available.has(command))
      list.push({ name, run: () => run(command, args, { maxBuffer: 1 << 20, env: toolEnv() }) });
  }
  return list;
}

/** Which of the tools are installed (`--version` answers). */
export async function availableTools(): Promise<Set<string>> {
  const found = new Set<string>();
  for (const command of Object.values(TOOLS)) {
    try {
      await run(command, command === TOOLS.graphicsmagick ? ['version'] : ['--version'], { env: toolEnv() });
      found.add(command);
    } catch {
      // Not installed: its columns say n/a, and the README says how to install it.
    }
  }
  return found;
}

export interface TransformBench {
  cells: Cell[];
  missingTools: string[];
}

export async function benchTransform(
  inputs: readonly BenchInput[],
  config: EdgeConfig,
  opts: { runs: number; avifRuns: number; widths?: readonly number[] },
  progress: (line: string) => void,
): Promise<TransformBench> {
  const available = await availableTools();
  const folder = mkdtempSync(join(tmpdir(), 'edge-resize-bench-'));
  const cells: Cell[] = [];
  try {
    for (const format of FORMATS) {
      for (const input of inputs) {
        for (const width of opts.widths ?? WIDTHS) {
          const quality =
            format === 'jpeg' ? config.quality.jpeg : format === 'webp' ? config.quality.webp : config.quality.avif;
          const job: Job = { input, width, format, quality, out: (ext) => join(folder, `out.${ext}`) };
          // AVIF runs are long and all encode: fewer of them, and no warm-up beyond the first input's.
          const avif = format === 'avif';
          const runs = avif ? opts.avifRuns : opts.runs;
          const timings = await compare(contenders(job, config, available), {
            warmup: avif && cells.length > 0 ? 0 : 1,
            runs,
          });
          cells.push({ input: input.label, width, format, timings });
          progress(
            `transform ${format} ${input.label} ${width}: ` +
              `${timings.map((t) => `${t.name} ${ms(t.medianMs)}`).join(', ')}`,
          );
        }
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return { cells, missingTools: Object.values(TOOLS).filter((t) => !available.has(t)) };
}

function find(cell: Cell, name: string): number | undefined {
  return cell.timings.find((t) => t.name === name)?.medianMs;
}

export function transformTables(bench: TransformBench): Table[] {
  return FORMATS.map((format) => {
    const cells = bench.cells.filter((c) => c.format === format);
    const others = [...new Set(cells.flatMap((c) => c.timings.map((t) => t.name)))].filter(
      (n) => n !== 'ours' && n !== 'ideal sharp',
    );
    return {
      title: `Transform to ${format.toUpperCase()} (median ms; ratio = other / ours, above 1 means ours is faster)`,
      columns: ['input', 'width', 'ours', 'ideal sharp', 'ours / ideal', ...others.flatMap((n) => [n, `${n} / ours`])],
      rows: cells.map((c) => {
        const ours = find(c, 'ours');
        const ideal = find(c, 'ideal sharp');
        return [
          c.input,
          String(c.width),
          ms(ours),
          ms(ideal),
          ratio(ours, ideal),
          ...others.flatMap((n) => [ms(find(c, n)), ratio(find(c, n), ours)]),
        ];
      }),
    };
  });
}

export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

/** The project's targets for the transform, each with its worst case from this run. */
export function transformVerdicts(bench: TransformBench): Verdict[] {
  const worst = (name: string, direction: 'max' | 'min', of: (c: Cell) => number | undefined, cells = bench.cells) => {
    let best: { value: number; cell: Cell } | undefined;
    for (const cell of cells) {
      const value = of(cell);
      if (value === undefined || !Number.isFinite(value)) continue;
      if (!best || (direction === 'max' ? value > best.value : value < best.value)) best = { value, cell };
    }
    return best && { ...best, where: `${best.cell.format} ${best.cell.input} ${best.cell.width}w`, name };
  };
  const rel = (other: string) => (c: Cell) => {
    const o = find(c, other);
    const u = find(c, 'ours');
    return o !== undefined && u ? o / u : undefined;
  };
  const verdicts: Verdict[] = [];
  // Beside a tool's worst cell, the ideal sharp call's own ratio against that tool there: when it misses too, no
  // sharp pipeline could meet the target on that cell.
  const idealAgainst = (other: string) => (c: Cell) => {
    const o = find(c, other);
    const i = find(c, 'ideal sharp');
    return o !== undefined && i ? o / i : undefined;
  };
  const add = (
    target: string,
    w: ReturnType<typeof worst>,
    pass: (v: number) => boolean,
    ideal?: (c: Cell) => number | undefined,
  ) => {
    const there = w && ideal?.(w.cell);
    const idealNote =
      there !== undefined && Number.isFinite(there) ? `; the ideal sharp call there: ${there.toFixed(2)}x` : '';
    verdicts.push(
      w
        ? { target, measured: `${w.value.toFixed(2)}x at worst (${w.where}${idealNote})`, pass: pass(w.value) }
        : { target, measured: 'not measured', pass: false },
    );
  };
  add(
    'ours within 1.15x of the ideal sharp call, every cell of the matrix (tools run in between)',
    worst('ideal', 'max', (c) => {
      const u = find(c, 'ours');
      const i = find(c, 'ideal sharp');
      return u !== undefined && i ? u / i : undefined;
    }),
    (v) => v <= 1.15,
  );
  add(
    'no slower than vipsthumbnail, every cell (vipsthumbnail / ours >= 1)',
    worst('vips', 'min', rel('vipsthumbnail')),
    (v) => v >= 1,
    idealAgainst('vipsthumbnail'),
  );
  // The ImageMagick target is stated on the 20 MP JPEG; on small inputs both sides are mostly decode and encode.
  const large = bench.cells.filter((c) => c.input.startsWith('20MP'));
  add(
    'at least 10x faster than ImageMagick plain -resize (20 MP JPEG)',
    worst('im', 'min', rel('IM plain -resize'), large),
    (v) => v >= 10,
    idealAgainst('IM plain -resize'),
  );
  add(
    'at least 10x faster than ImageMagick plain -resize (every cell)',
    worst('im', 'min', rel('IM plain -resize')),
    (v) => v >= 10,
    idealAgainst('IM plain -resize'),
  );
  add('faster than tuned ImageMagick -resize', worst('imt', 'min', rel('IM tuned -resize')), (v) => v > 1);
  add('faster than tuned GraphicsMagick', worst('gm', 'min', rel('GM tuned')), (v) => v > 1);
  return verdicts;
}

/**
 * sharp's levers, one at a time against our defaults, on one input: random access instead of sequential read,
 * two libvips threads instead of sharp's one (its default on glibc without jemalloc, as on Lambda), and the
 * operation cache off. Each run sets the global it tests and puts it back.
 */
export async function benchLevers(input: BenchInput, config: EdgeConfig, runs: number): Promise<Table> {
  const rows: string[][] = [];
  const defaults = { concurrency: sharp.concurrency(), cache: sharp.cache() };
  for (const format of ['jpeg', 'avif'] as const) {
    const options = { width: 800, styles: [], ...(format === 'jpeg' ? {} : { format }) } as const;
    const quality = format === 'jpeg' ? config.quality.jpeg : config.quality.avif;
    const job: Job = { input, width: 800, format, quality, out: () => '' };
    const withGlobals = (concurrency: number, cache: boolean, work: () => Promise<unknown>) => async () => {
      sharp.concurrency(concurrency);
      sharp.cache(cache);
      try {
        return await work();
      } finally {
        sharp.concurrency(defaults.concurrency);
        sharp.cache(defaults.cache.memory.max > 0);
      }
    };
    const contenders: Contender[] = [
      { name: 'ours (sequential read, 1 thread, cache on)', run: () => transform(input.data, options, config) },
      {
        name: 'random access read',
        run: () =>
          encodeLike(
            sharp(input.data, { sequentialRead: false }).autoOrient().resize({ width: 800, withoutEnlargement: true }),
            job,
            config,
          ).toBuffer(),
      },
      { name: '2 libvips threads', run: withGlobals(2, true, () => transform(input.data, options, config)) },
      {
        name: 'operation cache off',
        run: withGlobals(defaults.concurrency, false, () => transform(input.data, options, config)),
      },
    ];
    const timings = await compare(contenders, {
      warmup: 1,
      runs: format === 'avif' ? Math.max(1, Math.ceil(runs / 2)) : runs,
    });
    const ours = timings[0]!.medianMs;
    for (const t of timings) rows.push([`${format} 800w`, t.name, ms(t.medianMs), ratio(t.medianMs, ours)]);
  }
  return {
    title: `sharp's levers (${input.label}; median ms; ratio against ours)`,
    note: `sharp.concurrency() here: ${defaults.concurrency}; the machine has ${availableParallelism()} cores.`,
    columns: ['output', 'setting', 'ms', 'against ours'],
    rows,
  };
}

/**
 * Ours against the ideal call alone, two contenders interleaved many times: in the full matrix the command-line
 * tools run between the two and disturb them (page cache, CPU clocks), which moves single cells.
 */
export async function benchOursAgainstIdeal(
  inputs: readonly BenchInput[],
  config: EdgeConfig,
  runs: { other: number; avif: number },
): Promise<{ table: Table; verdict: Verdict }> {
  const rows: string[][] = [];
  let worst: { value: number; where: string } | undefined;
  for (const format of ['jpeg', 'webp', 'avif'] as const) {
    for (const input of inputs) {
      for (const width of WIDTHS) {
        const job: Job = { input, width, format, quality: config.quality[format], out: () => '' };
        // AVIF encodes take up to seconds: fewer rounds, still interleaved.
        const [ours, ideal] = await compare(contenders(job, config, new Set()).slice(0, 2), {
          warmup: 1,
          runs: format === 'avif' ? runs.avif : runs.other,
        });
        const value = ours!.medianMs / ideal!.medianMs;
        if (!worst || value > worst.value) worst = { value, where: `${format} ${input.label} ${width}w` };
        rows.push([
          `${format} ${input.label}`,
          String(width),
          ms(ours!.medianMs),
          ms(ideal!.medianMs),
          ratio(ours!.medianMs, ideal!.medianMs),
        ]);
      }
    }
  }
  return {
    table: {
      title:
        `Ours against the ideal sharp call alone (median ms of ${runs.other}, AVIF of ${runs.avif}; the two ` +
        `interleaved)`,
      columns: ['input', 'width', 'ours', 'ideal sharp', 'ours / ideal'],
      rows,
    },
    verdict: {
      target: 'ours within 1.15x of the ideal sharp call (head to head, JPEG, WebP and AVIF, every input and width)',
      measured: worst ? `${worst.value.toFixed(2)}x at worst (${worst.where})` : 'not measured',
      pass: worst !== undefined && worst.value <= 1.15,
    },
  };
}

/** A PNG of 30000x30000 pixels (900 MP) in 110 KB, one colour: a pixel bomb. */
const PIXEL_BOMB = join(REPO_ROOT, 'tests/fixtures/hostile/bomb-30000x30000.png');

/**
 * The pixel limit, read from the header before any decode: ours refusing a pixel bomb against sharp decoding it
 * with no limit, as a transform without the check would (sequential read, so memory stays small: the cost is
 * CPU, billed on every such request). No warm-up: decoding it once takes seconds.
 */
export async function benchPixelLimit(config: EdgeConfig, runs: number): Promise<Table> {
  const bomb = readFileSync(PIXEL_BOMB);
  const refused = async () => {
    const outcome = await transform(bomb, { width: 400, styles: [] }, config).then(
      () => 'generated',
      (error: unknown) => (error instanceof UnprocessableImage ? error.code : String(error)),
    );
    if (outcome !== 'too-many-pixels') throw new Error(`bench pixel limit: ours answered ${outcome}`);
  };
  const decoded = () =>
    sharp(bomb, { limitInputPixels: false })
      .resize({ width: 400, withoutEnlargement: true })
      .jpeg({ quality: config.quality.jpeg })
      .toBuffer();
  const [ours, unlimited] = await compare(
    [
      { name: 'ours: refused from its header (422)', run: refused },
      { name: 'sharp with no pixel limit, decoded to 400 wide', run: decoded },
    ],
    { warmup: 0, runs },
  );
  return {
    title:
      `The pixel limit, read from the header (a 900 MP PNG, 30000x30000 in ${Math.round(bomb.length / 1024)} ` +
      `KiB; median ms of ${runs})`,
    note:
      `Ours refuses an original over ${config.maxInputPixels} pixels (every frame counted) from its header, ` +
      `before decoding any pixel. sharp's own default limit (268 MP, also read from the header) would refuse ` +
      `this one too, but not one of 200 MP.`,
    columns: ['handling', 'ms', 'against ours'],
    rows: [ours!, unlimited!].map((t) => [t.name, ms(t.medianMs), ratio(t.medianMs, ours!.medianMs)]),
  };
}
