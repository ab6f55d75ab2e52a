// Bundles each handler into dist/<name>/index.js (CommonJS, as Lambda@Edge loads it) and prints the sizes.
// Lambda@Edge has no environment variables: edge-resize.config.ts is resolved and validated here, once, and
// its values are baked into the bundles as plain JSON (replacing shared/resolved-config.ts).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const targets = [
  // The viewer-request must stay tiny (1 MB package limit, and it runs on every request): no SDK, no sharp.
  { name: 'viewer-request', external: [] },
  // sharp is a native module: shipped beside the bundle in node_modules, never bundled.
  { name: 'origin-response', external: ['sharp'] },
];

/** Runs shared/resolved-config.ts at build time; throws (failing the build) on a bad setting. */
async function resolvedConfig() {
  const dir = mkdtempSync(join(tmpdir(), 'edge-resize-config-'));
  try {
    const outfile = join(dir, 'config.cjs');
    await build({ entryPoints: ['shared/resolved-config.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
    return createRequire(import.meta.url)(outfile).default;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const config = await resolvedConfig();
const bakeConfig = {
  name: 'bake-config',
  setup(b) {
    const target = resolve('shared/resolved-config.ts');
    b.onLoad({ filter: /resolved-config\.ts$/ }, (args) =>
      args.path === target ? { contents: `export default ${JSON.stringify(config)};`, loader: 'js' } : undefined);
  },
};

for (const { name, external } of targets) {
  const outfile = `dist/${name}/index.js`;
  const result = await build({
    entryPoints: [`${name}/index.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    external,
    // The SDK's ES-module builds, which esbuild can tree-shake (node's default, `main`, picks the CommonJS ones,
    // bundled whole): the origin-response bundle is a quarter smaller and its cold start loads it that much faster.
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'warning',
    plugins: [bakeConfig],
    write: false,
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (name === 'viewer-request' && inputs.some((i) => /node_modules\/(sharp|@aws-sdk)\//.test(i))) {
    throw new Error('the viewer-request bundle must not contain sharp or the AWS SDK');
  }
  // Written to a temporary name, then renamed: a test (or `npm run package`) loading the bundle while another
  // build runs never reads a half-written file.
  const [output] = result.outputFiles;
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(`${outfile}.tmp`, output.contents);
  renameSync(`${outfile}.tmp`, outfile);
  // What each source file adds to the bundle, for `npm run bench` (and anyone wondering where bytes go).
  writeFileSync(`dist/${name}/meta.json`, JSON.stringify(result.metafile));
  console.log(`${outfile}: ${output.contents.length} bytes`);
}
