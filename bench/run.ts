/**
 * `npm run bench`: every contender on the same inputs in one run on one machine, medians after warm-up, ratios
 * beside them. Prints each table and writes them all to bench/RESULTS.md.
 *
 *   npm run bench                      everything
 *   npm run bench -- --quick           fewer runs and widths, for a first look
 *   npm run bench -- --only transform,miss   some sections: transform, miss, s3, hit, viewer, cold, memory,
 *                                            bytes, budget
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import userConfig from '../edge-resize.config';
import { REPO_ROOT } from '../local/paths';
import { resolveConfig } from '../shared/config';
import { benchBudget } from './budget';
import { benchBytes, benchEncoderLevers } from './bytes';
import { benchColdStart, benchMemory, benchMiss, benchViewer, withS3 } from './edge';
import { benchHit } from './hit';
import { benchS3Levers } from './s3-levers';
import { corpusPresent, loadInputs, loadPhotos } from './inputs';
import { toMarkdown, toText, type Table } from './table';
import {
  benchLevers,
  benchOursAgainstIdeal,
  benchPixelLimit,
  benchTransform,
  transformTables,
  transformVerdicts,
  type Verdict,
} from './transform';

const SECTIONS = ['transform', 'miss', 's3', 'hit', 'viewer', 'cold', 'memory', 'bytes', 'budget'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' } },
});
const only = new Set((values.only ?? SECTIONS.join(',')).split(',').map((s) => s.trim()));
for (const name of only)
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`--only: unknown section "${name}"; known: ${SECTIONS.join(', ')}`);
const wants = (section: Section) => only.has(section);
const quick = values.quick ?? false;

// The SDK's notice that its 2027 releases need Node 22 concerns this machine, not the deployed nodejs22.x.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const config = resolveConfig(userConfig);
const tables: Table[] = [];
const verdicts: Verdict[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);
const show = (table: Table) => {
  tables.push(table);
  process.stdout.write(`\n${toText(table)}\n`);
};

const started = Date.now();
const inputs = await loadInputs();
const inputList = inputs.map((i) => `${i.label} (${i.width}x${i.height})`).join(', ');
log(`inputs: ${inputList}${corpusPresent() ? '' : ' (repository samples: ../shared/corpus/ is absent)'}`);

if (wants('transform')) {
  const bench = await benchTransform(
    inputs,
    config,
    { runs: quick ? 3 : 5, avifRuns: quick ? 1 : 3, ...(quick ? { widths: [200, 800] } : {}) },
    log,
  );
  transformTables(bench).forEach(show);
  verdicts.push(...transformVerdicts(bench));
  // Many rounds: single calls jump from one to the next on a shared machine, and with fewer the median of one
  // side of a cell could land well off the other's with no code changed (bench/RESULTS.md).
  const headToHead = await benchOursAgainstIdeal(inputs, config, { other: quick ? 5 : 21, avif: quick ? 3 : 9 });
  show(headToHead.table);
  verdicts.push(headToHead.verdict);
  show(await benchLevers(inputs[0]!, config, quick ? 3 : 5));
  show(await benchPixelLimit(config, quick ? 1 : 3));
  if (bench.missingTools.length)
    log(
      `not installed, so not compared: ${bench.missingTools.join(', ')} ` +
        '(apt-get install libvips-tools imagemagick graphicsmagick)',
    );
}

const byLabel = (prefix: string) => inputs.find((i) => i.label.startsWith(prefix)) ?? inputs[0]!;
const jpegs = inputs.filter((i) => i.file.endsWith('.jpg'));
const collect = (part: { tables: Table[]; verdicts: Verdict[] }) => {
  part.tables.forEach(show);
  verdicts.push(...part.verdicts);
};
if (wants('miss') || wants('s3') || wants('cold') || wants('memory')) {
  await withS3(async (s3) => {
    if (wants('miss')) collect(await benchMiss(s3, jpegs, config, quick ? 3 : 7));
    if (wants('s3')) collect(await benchS3Levers(jpegs, quick ? 3 : 7));
    if (wants('cold')) collect(await benchColdStart(s3, byLabel('2MP jpeg'), quick ? 3 : 11));
    if (wants('memory')) collect(await benchMemory(s3, byLabel('20MP')));
  });
}
if (wants('hit')) show(await benchHit(byLabel('2MP jpeg'), quick ? 5 : 9));
if (wants('viewer')) collect(await benchViewer(quick ? 20_000 : 100_000));
if (wants('bytes')) {
  collect(await benchBytes(await loadPhotos(), config, log));
  show(await benchEncoderLevers(byLabel('20MP'), config));
}

if (wants('budget')) show(await benchBudget(config, log));

if (verdicts.length) {
  show({
    title: 'Targets',
    columns: ['target', 'measured', 'result'],
    rows: verdicts.map((v) => [v.target, v.measured, v.pass ? 'met' : 'NOT MET']),
  });
}

const header = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: Node ` +
    `${process.version}, sharp ${sharp.versions.sharp}`,
  `with libvips ${sharp.versions.vips}, ` +
    `${corpusPresent() ? 'inputs from ../shared/corpus/' : 'the repository samples'}, ` +
    `${Math.round((Date.now() - started) / 1000)} s,`,
  `on ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown processor'}).`,
  'Absolute times on a shared 2-core machine are noise; the ratios from one run are the result.',
  '',
].join('\n');
const out = values.out ?? join(REPO_ROOT, 'bench/RESULTS.md');
writeFileSync(out, `${header}\n${tables.map(toMarkdown).join('\n')}`);
log(`written: ${out}`);
