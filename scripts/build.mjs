// Bundles each handler into dist/<name>/index.js (CommonJS, as Lambda@Edge loads it) and prints the sizes.
// Lambda@Edge has no environment variables: edge-resize.config.ts is resolved and validated here, once, and
// its values are baked into the bundles as plain JSON (replacing shared/resolved-config.ts).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { eagerWrappers } from './eager-wrappers.mjs';
import { FALLBACK_CREDENTIALS } from './fallback-credentials.mjs';
import { schemaKeysInlined } from './schema-keys.mjs';
import { sharpBundled } from './sharp-requires.mjs';

/**
 * Runs shared/resolved-config.ts at build time (throwing, and so failing the build, on a bad setting); also answers
 * which settings the viewer-request reads.
 */
async function resolvedConfig() {
  const dir = mkdtempSync(join(tmpdir(), 'edge-resize-config-'));
  try {
    const outfile = join(dir, 'config.cjs');
    const stdin = { contents: "export { default } from './shared/resolved-config'; export { VIEWER_SETTINGS } from './shared/config';", resolveDir: '.', loader: 'ts' };
    await build({ stdin, outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
    return createRequire(import.meta.url)(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { default: config, VIEWER_SETTINGS } = await resolvedConfig();

/** sharp's native parts, which no bundle can hold: its addon and libvips, one package each per platform. */
const SHARP_NATIVE = ['@img/sharp-*'];

/** What the origin-response bundle leaves out: sharp's native parts and the fallback credential providers. */
const ORIGIN_EXTERNAL = [...SHARP_NATIVE, ...FALLBACK_CREDENTIALS];

/**
 * Fails the build unless the deployed bundle reaches every fallback provider only through an `import()`: were
 * the SDK ever to import one statically, every cold start would load it (from node_modules, so still working).
 */
function checkLazy(code, outfile) {
  for (const name of FALLBACK_CREDENTIALS) {
    const quoted = JSON.stringify(name);
    const uses = code.split(quoted).length - 1;
    const lazy = code.split(`import(${quoted})`).length - 1;
    if (lazy === 0 || uses !== lazy) throw new Error(`${outfile}: ${name} must be loaded only by import(), found ${uses} uses, ${lazy} of them import()`);
  }
}

/**
 * The viewer-request must stay tiny (1 MB package limit, and it runs on every request): no SDK, no sharp, and
 * only the settings it reads (shared/config.ts's VIEWER_SETTINGS; its code is typed to read no others).
 * Built without esbuild's CommonJS interop helpers (see asCommonJs): it has no dependency that could need them.
 */
const VIEWER = { name: 'viewer-request', external: [], config: Object.fromEntries(VIEWER_SETTINGS.map((key) => [key, config[key]])), format: 'esm' };

/** The bench's stand-ins (bench/stand-ins/): what the viewer-request's bundle would weigh without the code they replace. */
const KEY_GRAMMAR_ONLY = { 'shared/variant-key.ts': 'bench/stand-ins/key-grammar-only.ts' };
const PLAIN_LOG = { 'shared/log.ts': 'bench/stand-ins/plain-log.ts' };

const targets = [
  VIEWER,
  // Not deployed: the viewer-request with stand-ins, for `npm run bench`'s bundle squeeze (bench/viewer-bundle.ts).
  { ...VIEWER, outfile: 'dist/bench/viewer-request-no-key-refusal.js', standIns: KEY_GRAMMAR_ONLY },
  { ...VIEWER, outfile: 'dist/bench/viewer-request-plain-log-too.js', standIns: { ...KEY_GRAMMAR_ONLY, ...PLAIN_LOG } },
  // sharp's JavaScript is bundled (scripts/sharp-requires.mjs); its native addon and libvips, @img/sharp-<platform> and
  // @img/sharp-libvips-<platform>, are shipped beside the bundle in node_modules. The SDK's modules require()
  // Node's own, which only a CommonJS bundle can do.
  { name: 'origin-response', external: ORIGIN_EXTERNAL, config, format: 'cjs' },
  // The regional refresh function (serverless.refresh.yml): the origin-response's pipeline, the CloudFront client.
  { name: 'refresh', external: ORIGIN_EXTERNAL, config, format: 'cjs' },
  // Not deployed: the same bundle for `npm run bench`'s cold start through a V8 code cache (bench/edge-child.ts),
  // with the SDK's two `import("node:…")` calls made `require`s. A script compiled from a code cache loses the
  // callback that dynamic import() needs on Node 20 ("A dynamic import callback was not specified").
  { name: 'origin-response', outfile: 'dist/bench/origin-response-precompilable.js', external: ORIGIN_EXTERNAL, config, format: 'cjs', supported: { 'dynamic-import': false } },
  // Not deployed: sharp alone, bundled as the origin-response holds it, for the cold start's floor.
  { name: 'sharp-only', entry: 'bench/sharp-only.ts', outfile: 'dist/bench/sharp-only.js', external: SHARP_NATIVE, config: {}, format: 'cjs' },
];

function bakeConfig(values) {
  return {
    name: 'bake-config',
    setup(b) {
      const target = resolve('shared/resolved-config.ts');
      b.onLoad({ filter: /resolved-config\.ts$/ }, (args) =>
        args.path === target ? { contents: `export default ${JSON.stringify(values)};`, loader: 'js' } : undefined);
    },
  };
}

/**
 * Builds `standIns`' modules (repository paths) in place of the modules they name, wherever those are imported
 * from, except from the stand-in itself, which may build on the module it replaces.
 */
function standInsFor(map = {}) {
  return {
    name: 'stand-ins',
    setup(b) {
      for (const [module, standIn] of Object.entries(map)) {
        const [target, replacement] = [resolve(module), resolve(standIn)];
        const basename = module.slice(module.lastIndexOf('/') + 1).replace(/\.ts$/, '');
        b.onResolve({ filter: new RegExp(`/${basename}(\\.ts)?$`) }, async (args) => {
          if (args.importer === replacement || args.pluginData === 'stand-ins') return undefined;
          const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'stand-ins' });
          return real.path === target ? { path: replacement } : undefined;
        });
      }
    },
  };
}

/**
 * CommonJS, as Lambda loads `index.handler`, without esbuild's ES-module interop helpers (about 450 bytes, a
 * twentieth of the viewer-request): the bundle is built as an ES module and its one export statement, which must
 * be the last thing in it, becomes an `exports.handler` assignment. Anything else (an import, another export,
 * import.meta) fails the build rather than ship a module Lambda cannot load.
 */
function asCommonJs(code, outfile) {
  const match = /export\s*\{\s*([\w$]+) as handler\s*\};\s*$/.exec(code);
  const body = match ? code.slice(0, match.index) : code;
  if (!match || /(?:^|[;}])\s*(?:import|export)[\s{*]/.test(body) || /\bimport\.meta\b/.test(body)) {
    throw new Error(`${outfile}: expected an ES module whose only export is "handler", at its end`);
  }
  // An ES module's code is strict; as a CommonJS script it must say so.
  return `"use strict";${body}exports.handler=${match[1]};\n`;
}

for (const { name, entry = `${name}/index.ts`, outfile = `dist/${name}/index.js`, external, config: values, format, supported, standIns } of targets) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    // Lambda reads the file as UTF-8: `…` is 3 bytes as it is, 6 as an escape.
    charset: 'utf8',
    external,
    // The SDK's ES-module builds, which esbuild can tree-shake (node's default, `main`, picks the CommonJS ones,
    // bundled whole): the origin-response bundle is a quarter smaller and its cold start loads it that much faster.
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'warning',
    plugins: [bakeConfig(values), ...sharpBundled(), schemaKeysInlined(), standInsFor(standIns)],
    supported,
    write: false,
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (name === 'viewer-request' && inputs.some((i) => /node_modules\/(sharp|@aws-sdk)\//.test(i))) {
    throw new Error('the viewer-request bundle must not contain sharp or the AWS SDK');
  }
  // Written to a temporary name, then renamed: a test (or `npm run package`) loading the bundle while another
  // build runs never reads a half-written file.
  const text = format === 'esm' ? asCommonJs(result.outputFiles[0].text, outfile) : result.outputFiles[0].text;
  // Module bodies compiled with the script rather than parsed twice (scripts/eager-wrappers.mjs).
  const { code } = eagerWrappers(text, outfile);
  if (outfile === 'dist/origin-response/index.js') checkLazy(code, outfile);
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(`${outfile}.tmp`, code);
  renameSync(`${outfile}.tmp`, outfile);
  // What each source file adds to the bundle, for `npm run bench` (and anyone wondering where bytes go).
  const metaFile = outfile.endsWith('/index.js') ? join(dirname(outfile), 'meta.json') : outfile.replace(/\.js$/, '.meta.json');
  writeFileSync(metaFile, JSON.stringify(result.metafile));
  console.log(`${outfile}: ${Buffer.byteLength(code)} bytes`);
}
