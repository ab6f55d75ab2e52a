// How each function is bundled (CommonJS, as Lambda@Edge loads it), shared by scripts/build.mjs, which builds what
// ships, and bench/build.mjs, which builds the bench's variations of it.
// Lambda@Edge has no environment variables: edge-resize.config.ts is resolved and validated at build time, once,
// and its values are baked into the bundles as plain JSON (replacing shared/resolved-config.ts).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { asCommonJs, checkCommonJsHandler } from './commonjs-handler.mjs';
import { checkFallbackCredentials, checkLazy, FALLBACK_CREDENTIALS } from './fallback-credentials.mjs';
import { schemaKeysInlined } from './schema-keys.mjs';
import { sharpBundled } from './sharp-requires.mjs';

/**
 * Resolves edge-resize.config.ts as shared/resolved-config.ts does, at build time (throwing, and so failing the
 * build, on a bad setting); also answers which settings the viewer-request reads. `pathPattern`, when given
 * (`npm run package -- --param pathPattern=...`), is used for a config file that leaves the setting out, and must
 * equal one that sets it.
 */
export async function resolvedConfig({ pathPattern } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'edge-resize-config-'));
  try {
    const outfile = join(dir, 'config.cjs');
    const contents =
      "export { default as userConfig } from './edge-resize.config';\n" +
      "export { resolveConfig, VIEWER_SETTINGS } from './shared/config';";
    const stdin = { contents, resolveDir: '.', loader: 'ts' };
    await build({ stdin, outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
    const { userConfig = {}, resolveConfig, VIEWER_SETTINGS } = createRequire(import.meta.url)(outfile);
    const set = userConfig.pathPattern;
    if (pathPattern !== undefined && set !== undefined && set !== pathPattern) {
      throw new Error(
        `edge-resize.config.ts sets pathPattern "${set}" but the build was asked for "${pathPattern}": ` +
          'variant keys would not match the behaviour',
      );
    }
    const config = resolveConfig(pathPattern === undefined ? userConfig : { ...userConfig, pathPattern });
    return { config, viewerSettings: VIEWER_SETTINGS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** sharp's native parts, which no bundle can hold: its addon and libvips, one package each per platform. */
export const SHARP_NATIVE = ['@img/sharp-*'];

/** What the origin-response bundle leaves out: sharp's native parts and the fallback credential providers. */
export const ORIGIN_EXTERNAL = [...SHARP_NATIVE, ...FALLBACK_CREDENTIALS];

function bakeConfig(values) {
  return {
    name: 'bake-config',
    setup(b) {
      const target = resolve('shared/resolved-config.ts');
      b.onLoad({ filter: /resolved-config\.ts$/ }, (args) =>
        args.path === target ? { contents: `export default ${JSON.stringify(values)};`, loader: 'js' } : undefined,
      );
    },
  };
}

/**
 * Bundles `entry` into `outfile` with the configuration `values` baked in, and writes its metafile beside it.
 * `format: 'esm'` is written out as CommonJS by scripts/commonjs-handler.mjs; `lazyCredentials` holds the bundle
 * to loading the fallback credential providers only by import() (scripts/fallback-credentials.mjs).
 */
export async function bundle({ entry, outfile, external, values, format, supported, lazyCredentials = false }) {
  if (format === 'esm') checkCommonJsHandler();
  if (external.some((name) => FALLBACK_CREDENTIALS.includes(name))) checkFallbackCredentials();
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
    // bundled whole): the origin-response bundle is smaller and its cold start loads it that much faster.
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'warning',
    plugins: [bakeConfig(values), sharpBundled(), schemaKeysInlined()],
    supported,
    write: false,
  });
  const text = result.outputFiles[0].text;
  const code = format === 'esm' ? asCommonJs(text, outfile) : text;
  if (lazyCredentials) checkLazy(code, outfile);
  // Written to a temporary name, then renamed: a test (or `npm run package`) loading the bundle while another
  // build runs never reads a half-written file.
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(`${outfile}.tmp`, code);
  renameSync(`${outfile}.tmp`, outfile);
  // What each source file adds to the bundle, for `npm run bench` (and anyone wondering where bytes go).
  const metaFile = outfile.endsWith('/index.js')
    ? join(dirname(outfile), 'meta.json')
    : outfile.replace(/\.js$/, '.meta.json');
  writeFileSync(metaFile, JSON.stringify(result.metafile));
  console.log(`${outfile}: ${Buffer.byteLength(code)} bytes`);
  return { code, inputs: Object.keys(result.metafile.inputs) };
}
