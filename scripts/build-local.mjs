// Bundles the local stack's command (local/start.ts) into dist/local/start.mjs so `npm start` runs on plain
// Node 20. Packages stay external: they load from node_modules, as in development.
import { build } from 'esbuild';

await build({
  entryPoints: ['local/start.ts'],
  outfile: 'dist/local/start.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
