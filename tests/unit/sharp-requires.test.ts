/**
 * scripts/sharp-requires.mjs: sharp bundled as CommonJS, its from-source addon requires made "not found", must
 * load its prebuilt addon from node_modules and answer as sharp from node_modules does.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharpBundled } from '../../scripts/sharp-requires.mjs';

const ROOT = join(__dirname, '../..');
// Inside the repository, as the bundles are: sharp's addon is found from the bundle's folder, in node_modules.
mkdirSync(join(ROOT, 'dist'), { recursive: true });
const folder = mkdtempSync(join(ROOT, 'dist/test-sharp-requires-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs `script` in a fresh node in the repository; its stdout. */
function freshNode(script: string): string {
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

describe('sharp bundled by the plugin', () => {
  it("holds sharp's CommonJS build, with no require of an addon compiled from source", async () => {
    const outfile = join(folder, 'sharp.cjs');
    const result = await build({
      stdin: { contents: 'module.exports = require("sharp");', resolveDir: ROOT, loader: 'js' },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['@img/sharp-*'],
      metafile: true,
      logLevel: 'warning',
      plugins: [sharpBundled()],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('node_modules/sharp/dist/sharp.cjs');
    expect(inputs.filter((i) => /node_modules\/sharp\/.*\.mjs$/.test(i))).toEqual([]);
    expect(readFileSync(outfile, 'utf8')).not.toContain('src/build/Release');

    // Loaded in a fresh process beside sharp from node_modules: the same versions, colours read alike, and a
    // real resize through the prebuilt addon giving the same bytes.
    const out = freshNode(`const bundled = require(${JSON.stringify(outfile)}); const original = require("sharp");
      const read = (s) => ["#102030", "rgba(1, 2, 3, 0.5)", "teal"].map((background) =>
        s().resize({ width: 2, height: 2, fit: "contain", background }).options.resizeBackground);
      const resize = (s) => s({ create: { width: 64, height: 48, channels: 3, background: "#336699" } })
        .resize({ width: 16 }).png().toBuffer().then((b) => b.toString("base64"));
      Promise.all([resize(bundled), resize(original)]).then(([a, b]) => console.log(JSON.stringify({
        versions: [bundled.versions, original.versions],
        colours: [read(bundled), read(original)],
        same: a === b,
      })));`);
    type Answer = { versions: unknown[]; colours: number[][][]; same: boolean };
    const { versions, colours, same } = JSON.parse(out) as Answer;
    expect(versions[0]).toEqual(versions[1]);
    expect(colours[0]).toEqual(colours[1]);
    expect(colours[0]![0]).toEqual([16, 32, 48, 255]);
    expect(same).toBe(true);
  });
});
