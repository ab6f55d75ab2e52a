// Bundles the commands that run on this machine (not on Lambda) so they run on plain Node 20:
//   dist/local/start.mjs   `npm start`, the local stack (local/start.ts)
//   dist/local/load.mjs    `npm run load`, the load run (local/load.ts)
//   dist/refresh/warm.mjs, purge.mjs   `npm run warm` / `npm run purge` (refresh/cli/)
//   dist/bench/run.mjs     `npm run bench` (bench/run.ts), and dist/bench/edge-child.mjs, the fresh processes
//                          it runs the built functions in (dist/bench/s3-child.mjs: its S3 client levers)
// Packages stay external: they load from node_modules, as in development.
import { build } from 'esbuild';

await build({
  entryPoints: {
    'local/start': 'local/start.ts',
    'local/load': 'local/load.ts',
    'refresh/warm': 'refresh/cli/warm.ts',
    'refresh/purge': 'refresh/cli/purge.ts',
    'bench/run': 'bench/run.ts',
    'bench/edge-child': 'bench/edge-child.ts',
    'bench/s3-child': 'bench/s3-child.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
