// `npm run bench`'s own build, after `npm run build`: the bench's processes and the variations of the shipped
// bundles it measures against. Nothing here ships, and `npm test` builds none of it.
//   dist/bench/run.mjs, edge-child.mjs, s3-child.mjs   the bench and the fresh processes it runs the bundles in
//   dist/bench/origin-response-precompilable.js        the origin-response with no dynamic import(), which a
//                                                      script compiled from a V8 code cache cannot run on Node 20
//   dist/bench/sharp-only.js                           sharp alone, bundled as the origin-response holds it: the
//                                                      cold start's floor
import { build } from 'esbuild';
import { bundle, ORIGIN_EXTERNAL, resolvedConfig, SHARP_NATIVE } from '../scripts/bundle.mjs';
import { NODE_COMMAND } from '../scripts/node-command.mjs';

const { config } = await resolvedConfig();

await bundle({
  entry: 'origin-response/index.ts',
  outfile: 'dist/bench/origin-response-precompilable.js',
  external: ORIGIN_EXTERNAL,
  values: config,
  format: 'cjs',
  supported: { 'dynamic-import': false },
});
await bundle({
  entry: 'bench/sharp-only.ts',
  outfile: 'dist/bench/sharp-only.js',
  external: SHARP_NATIVE,
  values: {},
  format: 'cjs',
});

// Run on plain Node 20, packages from node_modules as in development.
await build({
  entryPoints: { run: 'bench/run.ts', 'edge-child': 'bench/edge-child.ts', 's3-child': 'bench/s3-child.ts' },
  outdir: 'dist/bench',
  ...NODE_COMMAND,
});
