/**
 * Where things are, from the repository root, whether this code runs from `local/*.ts` or bundled into
 * `dist/local/start.mjs`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'edge-resize'
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the edge-resize repository root');
    dir = parent;
  }
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The sample photos seeded on first start (their licences: tests/fixtures/ATTRIBUTION.md). */
export const SAMPLE_PHOTOS = join(REPO_ROOT, 'tests', 'fixtures', 'photos');

/** S3 data kept across restarts (git-ignored). */
export const DEFAULT_DATA_DIR = join(REPO_ROOT, '.data');

/** A built handler bundle, the file that gets deployed. */
export function distFunction(name: 'viewer-request' | 'origin-response' | 'refresh'): string {
  return join(REPO_ROOT, 'dist', name, 'index.js');
}
