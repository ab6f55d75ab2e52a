// Bundles the commands that run on this machine (not on Lambda) so they run on plain Node 20:
//   dist/local/start.mjs   `npm start`, the local stack (local/start.ts)
//   dist/local/load.mjs    `npm run load`, the load run (local/load.ts)
//   dist/local/keyspace.mjs  `npm run keyspace`, the variant keys and worst-case cost of the config
//   dist/refresh/warm.mjs, purge.mjs   `npm run warm` / `npm run purge` (refresh/cli/)
// Packages stay external: they load from node_modules, as in development.
import { build } from 'esbuild';
import { NODE_COMMAND } from './node-command.mjs';

await build({
  entryPoints: {
    'local/start': 'local/start.ts',
    'local/load': 'local/load.ts',
    'local/keyspace': 'local/keyspace.ts',
    'refresh/warm': 'refresh/cli/warm.ts',
    'refresh/purge': 'refresh/cli/purge.ts',
  },
  outdir: 'dist',
  ...NODE_COMMAND,
});
