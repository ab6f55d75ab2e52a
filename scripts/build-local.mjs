// Bundles the local commands into dist/local/ so they run on plain Node 20: the stack (local/start.ts →
// start.mjs, `npm start`) and the load run (local/load.ts → load.mjs, `npm run load`). Packages stay external:
// they load from node_modules, as in development.
import { build } from 'esbuild';

await build({
  entryPoints: { start: 'local/start.ts', load: 'local/load.ts' },
  outdir: 'dist/local',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
