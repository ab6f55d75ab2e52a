// Bundles deploy/cli.ts (attach, detach, verify: they run on the user's machine, not on Lambda) to
// dist/deploy/cli.mjs, as scripts/build-local.mjs bundles the local commands. Packages stay external.
// The viewer-request inside is the one that ships, with the configuration of edge-resize.config.ts.
import { build } from 'esbuild';

export async function buildDeploy() {
  await build({
    entryPoints: { 'deploy/cli': 'deploy/cli.ts' },
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
}

if (import.meta.url === `file://${process.argv[1]}`) await buildDeploy();
