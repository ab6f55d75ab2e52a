// Bundles deploy/cli.ts (attach, detach, verify: they run on the user's machine, not on Lambda) to
// dist/deploy/cli.mjs, as scripts/build-local.mjs bundles the local commands. Packages stay external.
// The viewer-request inside is the one that ships, with the configuration of edge-resize.config.ts.
// Written to a temporary file and renamed, so a command already running the bundle never reads half of it.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NODE_COMMAND } from './node-command.mjs';

export async function buildDeploy() {
  const result = await build({
    entryPoints: { 'deploy/cli': 'deploy/cli.ts' },
    outdir: 'dist',
    ...NODE_COMMAND,
    write: false,
  });
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildDeploy();
