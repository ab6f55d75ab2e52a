// Bundles each handler into dist/<name>/index.js (CommonJS, as Lambda@Edge loads it) and prints the sizes.
// The configuration in edge-resize.config.ts is bundled in: Lambda@Edge has no environment variables.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const targets = [
  // The viewer-request must stay tiny (1 MB package limit, and it runs on every request): no SDK, no sharp.
  { name: 'viewer-request', external: [] },
  // sharp is a native module: shipped beside the bundle in node_modules, never bundled.
  { name: 'origin-response', external: ['sharp'] },
];

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
    metafile: true,
    logLevel: 'warning',
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
  console.log(`${outfile}: ${output.contents.length} bytes`);
}
