// Bundles the benchmark into dist/bench/: run.mjs (`npm run bench`) and edge-child.mjs (the fresh processes it
// starts to run the built functions in). Packages stay external: sharp and the SDK load from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['bench/run.ts', 'bench/edge-child.ts'],
  outdir: 'dist/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
