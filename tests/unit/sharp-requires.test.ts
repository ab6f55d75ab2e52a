/**
 * scripts/sharp-requires.mjs: sharp's libvips.cjs and detect-libc, bundled, must load neither child_process nor
 * all of semver, and must answer as they do from node_modules.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_PROCESS_STAND_IN, lazyChildProcess, semverFunctions } from '../../scripts/sharp-requires.mjs';

const ROOT = join(__dirname, '../..');
const LIBVIPS = join(ROOT, 'node_modules/sharp/dist/libvips.cjs');
const folder = mkdtempSync(join(tmpdir(), 'edge-resize-sharp-requires-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs `script` in a fresh node (no IPC channel, which would load child_process at boot); its stdout. */
function freshNode(script: string): string {
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

const loadedChildProcess = 'process.moduleLoadList.includes("NativeModule child_process")';

describe('the child_process stand-in', () => {
  it('loads child_process on its first call, not before, and forwards the call', () => {
    const file = join(folder, 'child-process.cjs');
    writeFileSync(file, CHILD_PROCESS_STAND_IN);
    const out = freshNode(`const cp = require(${JSON.stringify(file)}); const before = ${loadedChildProcess};
      const said = cp.execSync("echo forwarded", { encoding: "utf8" }).trim();
      console.log(JSON.stringify({ before, said, after: ${loadedChildProcess} }));`);
    expect(JSON.parse(out)).toEqual({ before: false, said: 'forwarded', after: true });
  });
});

describe('the origin-response bundle', () => {
  it('loads sharp without loading child_process', () => {
    const out = freshNode(`const { handler } = require("./dist/origin-response/index.js");
      console.log(JSON.stringify({ handler: typeof handler, childProcess: ${loadedChildProcess} }));`);
    expect(JSON.parse(out)).toEqual({ handler: 'function', childProcess: false });
  });

  it('holds the semver functions sharp uses, not semver\'s index', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'dist/origin-response/meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain('node_modules/semver/functions/coerce.js');
    expect(inputs).not.toContain('node_modules/semver/index.js');
  });
});

describe('sharp\'s libvips.cjs bundled with the stand-ins', () => {
  it('answers as it does from node_modules', async () => {
    const outfile = join(folder, 'libvips.cjs');
    await build({ entryPoints: [LIBVIPS], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning', plugins: [lazyChildProcess(), semverFunctions()] });
    type Libvips = { minimumLibvipsVersion: string; isUnsupportedNodeRuntime: () => unknown; useGlobalLibvips: () => boolean };
    const load = createRequire(import.meta.url);
    const [bundled, original] = [load(outfile) as Libvips, load(LIBVIPS) as Libvips];
    expect(bundled.minimumLibvipsVersion).toBe(original.minimumLibvipsVersion);
    expect(bundled.minimumLibvipsVersion).toMatch(/^\d+\.\d+\.\d+$/);
    // satisfies (the node version check) and, through it, the forwarded semver range code.
    expect(bundled.isUnsupportedNodeRuntime()).toEqual(original.isUnsupportedNodeRuntime());
    // The global-libvips check runs pkg-config through the stand-in's spawnSync.
    expect(bundled.useGlobalLibvips()).toBe(original.useGlobalLibvips());
  });
});
