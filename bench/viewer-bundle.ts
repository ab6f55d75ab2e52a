/**
 * The viewer-request bundle's bytes: where they come from, by source module, and how far the hardest minifying
 * we know takes them. The squeezed bundles are measurements, never shipped: terser is a dev dependency, and the
 * property names it mangles would have to be kept in step with every boundary by hand (see INTERNAL_PROPERTIES).
 */
import { parse } from 'acorn';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { minify, type MinifyOptions } from 'terser';
import { viewerRequestEvent } from '../tests/helpers/events';
import { distFunction, REPO_ROOT } from '../local/paths';
import type { Table } from './table';
import { ratio } from './timing';

export const VIEWER_BUNDLE = distFunction('viewer-request');

export interface ViewerRequestSample {
  uri: string;
  querystring: string;
  headers: Record<string, string>;
}

/**
 * Property names that never cross the bundle's boundary: not the event's, the response's or the log line's fields,
 * not a query parameter's name (the query reader's table is keyed by them), and never read by a computed name
 * (`devices[device]`, `requested[name]`). Anything not listed is left as it is.
 */
const INTERNAL_PROPERTIES = new RegExp(
  `^(${[
    'kind',
    'requested',
    'action',
    'negotiated',
    'variant',
    'options',
    'path',
    'accepts',
    'saveData',
    'sizes',
    'mode',
    'max',
    'steps',
    'presets',
    'devices',
    'enabled',
    'qualitySteps',
    'saveDataQuality',
    'autoFormats',
    'backgrounds',
    'errorCacheControl',
  ].join('|')})$`,
);

const TERSER: MinifyOptions = {
  ecma: 2020,
  toplevel: true,
  compress: { passes: 3, unsafe: true, unsafe_arrows: true, pure_getters: true },
  mangle: { toplevel: true },
  format: { ascii_only: false },
};

/** Where the viewer-request bundle's bytes come from, by source module (the build's metafile). */
export function bundleComposition(): Table {
  const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist/viewer-request/meta.json'), 'utf8')) as {
    outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const output = Object.values(meta.outputs)[0]!;
  const modules = Object.entries(output.inputs).sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput);
  const counted = modules.reduce((sum, [, m]) => sum + m.bytesInOutput, 0);
  return {
    title: 'viewer-request bundle by module (minified bytes)',
    columns: ['module', 'bytes'],
    rows: [
      ...modules.map(([name, m]) => [name, String(m.bytesInOutput)]),
      ['(the build\'s glue: "use strict", exports.handler)', String(statSync(VIEWER_BUNDLE).size - counted)],
    ],
  };
}

/**
 * Bytes of the string and template literal text that is prose (a word, a space, a word): the 400s' reasons and the
 * log messages.
 */
export function proseBytes(code: string): number {
  let bytes = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; value?: unknown; regex?: unknown; start: number; end: number };
    if (n.type === 'Literal' && typeof n.value === 'string' && /[a-z] [a-z]/i.test(n.value))
      bytes += Buffer.byteLength(code.slice(n.start, n.end));
    if (n.type === 'TemplateElement' && /[a-z] [a-z]/i.test(code.slice(n.start, n.end)))
      bytes += Buffer.byteLength(code.slice(n.start, n.end));
    for (const [key, value] of Object.entries(n)) if (key !== 'type' && typeof value === 'object') visit(value);
  };
  visit(parse(code, { ecmaVersion: 2022, sourceType: 'script' }));
  return bytes;
}

type Handler = (event: unknown) => Promise<unknown>;

/**
 * Each sample's answer and log line from a bundle: what a squeezed bundle must reproduce for its size to count.
 * The log lines are caught, not written, and their timestamps dropped.
 */
export async function answers(file: string, samples: readonly ViewerRequestSample[]): Promise<string[]> {
  const { handler } = createRequire(import.meta.url)(file) as { handler: Handler };
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const lines: string[] = [];
  process.stdout.write = (chunk: string) => {
    lines.push(chunk.replace(/"timestamp":"[^"]*"/, ''));
    return true;
  };
  try {
    for (const s of samples) {
      const answer = await handler(viewerRequestEvent(s.uri, s.querystring, s.headers));
      out.push(`${JSON.stringify(answer)} ${lines.splice(0).join('')}`);
    }
  } finally {
    process.stdout.write = write;
  }
  return out;
}

const MANGLED: MinifyOptions = { ...TERSER, mangle: { toplevel: true, properties: { regex: INTERNAL_PROPERTIES } } };

/**
 * The shipped bundle beside terser's output at three passes with its unsafe transforms, and that again with the
 * internal property names mangled. Each checked to give the same answers and log lines over `samples`.
 */
export async function squeezeViewerBundle(
  samples: readonly ViewerRequestSample[],
): Promise<{ table: Table; squeezed: number; withoutProse: number }> {
  const code = readFileSync(VIEWER_BUNDLE, 'utf8');
  const folder = mkdtempSync(join(tmpdir(), 'edge-resize-squeeze-'));
  try {
    const expected = await answers(VIEWER_BUNDLE, samples);
    const variants = [
      { label: 'esbuild --minify (shipped)', code },
      { label: 'terser: 3 passes, unsafe transforms', code: (await minify(code, TERSER)).code! },
      { label: 'terser, and internal property names mangled', code: (await minify(code, MANGLED)).code! },
    ];
    for (const [i, variant] of variants.entries()) {
      const file = join(folder, `${i}.cjs`);
      writeFileSync(file, variant.code);
      const got = await answers(file, samples);
      const differs = got.findIndex((answer, j) => answer !== expected[j]);
      if (differs >= 0)
        throw new Error(
          `bench bundle squeeze: ${variant.label} answers ` +
            `${samples[differs]!.uri}?${samples[differs]!.querystring} differently`,
        );
    }
    const sized = variants.map((v) => ({ ...v, bytes: Buffer.byteLength(v.code), prose: proseBytes(v.code) }));
    const rows = sized.map((v) => [
      v.label,
      String(v.bytes),
      String(gzipSync(v.code, { level: 9 }).length),
      String(v.prose),
      String(v.bytes - v.prose),
      ratio(v.bytes, sized[0]!.bytes),
    ]);
    const mangled = sized[2]!;
    return {
      table: {
        title: 'viewer-request bundle squeezed: the hardest minifying we know (not shipped)',
        note:
          `Each checked to give the shipped bundle's answers and log lines over the ${samples.length} requests ` +
          `of the mix. Prose: string and template text with words and spaces in it, the 400s' one-line reasons ` +
          `and the log messages; "without it" subtracts it, as if every reason were dropped.`,
        columns: ['minified by', 'bytes', 'gzip -9 bytes', 'of it prose', 'without it', 'against shipped'],
        rows,
      },
      squeezed: mangled.bytes,
      withoutProse: mangled.bytes - mangled.prose,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
