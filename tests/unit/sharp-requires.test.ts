/**
 * scripts/sharp-requires.mjs: sharp's libvips.cjs and detect-libc, bundled, must load neither child_process nor
 * all of semver, sharp's colour package must wait for a colour to parse, and all must answer as they do from
 * node_modules.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_PROCESS_STAND_IN, COLOUR_STAND_IN, lazyChildProcess, semverFunctions } from '../../scripts/sharp-requires.mjs';

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

describe('the @img/colour stand-in', () => {
  it('requires the package on its first call, not before, and answers what the package answers', () => {
    const load = createRequire(import.meta.url);
    const required: string[] = [];
    const module = { exports: undefined as unknown as (value: unknown) => { rgb(): { array(): number[] }; alpha(): number } };
    new Function('module', 'require', COLOUR_STAND_IN)(module, (id: string) => { required.push(id); return load(id); });
    expect(required).toEqual([]);
    const real = load('@img/colour') as typeof module.exports;
    for (const value of ['#abc', 'rgba(1, 2, 3, 0.5)', 'red', { r: 9, g: 8, b: 7 }]) {
      expect(module.exports(value).rgb().array()).toEqual(real(value).rgb().array());
      expect(module.exports(value).alpha()).toBe(real(value).alpha());
    }
    expect(required).toEqual(['@img/colour']);
  });
});

describe('the origin-response bundle', () => {
  it('gives sharp\'s colour.cjs the stand-in, with the real package behind it', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'dist/origin-response/meta.json'), 'utf8')) as { inputs: Record<string, { imports: { path: string }[] }> };
    const standIn = `lazy-colour:${join(ROOT, 'node_modules/sharp/dist/colour.cjs')}`;
    expect(meta.inputs['node_modules/sharp/dist/colour.cjs']!.imports.map((i) => i.path)).toContain(standIn);
    expect(meta.inputs[standIn]!.imports.map((i) => i.path)).toEqual(['node_modules/@img/colour/index.cjs']);
  });

  it('parses colours through the stand-in as sharp from node_modules does', () => {
    const out = freshNode(`const { sharp } = require("./dist/bench/sharp-only.js"); const original = require("sharp");
      const read = (s) => ["#102030", "rgba(1, 2, 3, 0.5)", "teal", { r: 9, g: 8, b: 7, alpha: 0.25 }].map((background) => s().resize({ width: 2, height: 2, fit: "contain", background }).options.resizeBackground);
      console.log(JSON.stringify([read(sharp), read(original)]));`);
    const [bundled, original] = JSON.parse(out) as number[][][];
    expect(bundled).toEqual(original);
    expect(bundled![0]).toEqual([16, 32, 48, 255]);
  });

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
