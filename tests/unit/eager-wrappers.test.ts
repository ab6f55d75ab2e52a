/**
 * scripts/eager-wrappers.mjs: esbuild's module wrappers written as function expressions must run exactly as the
 * arrows did, and V8 must compile them with the script, which is the whole point.
 */
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { eagerWrappers } from '../../scripts/eager-wrappers.mjs';

const ROOT = join(__dirname, '../..');
const folder = mkdtempSync(join(tmpdir(), 'edge-resize-eager-wrappers-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** esbuild's two wrapping helpers (`__esm`, `__commonJS`) as it writes them minified. */
const HELPERS = 'var y=(e,t,r)=>()=>{if(r)throw r[0];try{return e&&(t=e(e=0)),t}catch(n){throw r=[n],n}};var N=(e,t)=>()=>{try{return t||e((t={exports:{}}).exports,t),t.exports}catch(r){throw t=0,r}};';

describe('eagerWrappers', () => {
  it('writes each wrapper as a parenthesised function expression, and a body with its own `this` not at all', () => {
    const code = `${HELPERS}var a,b=y(()=>{a=1});var c=N((e,t)=>{t.exports=[2,()=>this]});var d=N(e=>{e.x=arguments.length});`;
    const { code: out, eager, kept } = eagerWrappers(code, 'm.js');
    expect({ eager, kept }).toEqual({ eager: 1, kept: 2 });
    expect(out).toBe(`${HELPERS}var a,b=y((function(){a=1}));var c=N((e,t)=>{t.exports=[2,()=>this]});var d=N(e=>{e.x=arguments.length});`);
  });

  it('leaves calls of anything but the helpers alone, and refuses a bundle with more helpers than esbuild has', () => {
    const other = `${HELPERS}var m=(f)=>f,k=m(()=>{return 1});`;
    expect(eagerWrappers(other, 'm.js')).toEqual({ code: other, eager: 0, kept: 0 });
    expect(() => eagerWrappers(`${HELPERS}var z=(e,t)=>()=>e(t);`, 'm.js')).toThrow(/at most esbuild's two/);
  });

  it('gives a bundle that runs as it did: the same exports, its modules run in the same order', async () => {
    // Reached by require(), the ES module is wrapped in __esm; the CommonJS ones in __commonJS.
    writeFileSync(join(folder, 'esm.mjs'), 'globalThis.order.push("esm"); export const value = [1, 2].map((n) => n * 2);');
    writeFileSync(join(folder, 'cjs.cjs'), 'globalThis.order.push("cjs"); exports.fromEsm = require("./esm.mjs").value; exports.self = typeof module;');
    writeFileSync(join(folder, 'entry.cjs'), 'globalThis.order.push("entry"); module.exports = { cjs: require("./cjs.cjs"), later: () => require("./esm.mjs").value };');
    const result = await build({ entryPoints: [join(folder, 'entry.cjs')], bundle: true, platform: 'node', format: 'cjs', minify: true, write: false, logLevel: 'warning' });
    const bundled = result.outputFiles[0]!.text;
    const { code, eager } = eagerWrappers(bundled, 'entry.js');
    expect(eager).toBe(2);
    const run = (source: string) => {
      const sandbox = { module: { exports: {} as { later: () => unknown } }, order: [] as string[], require: () => { throw new Error('no requires'); } };
      runInNewContext(`globalThis.order=order;(function(module,exports,require){${source}})(module,module.exports,require)`, sandbox);
      return { exports: JSON.parse(JSON.stringify(sandbox.module.exports)) as unknown, later: sandbox.module.exports.later(), order: sandbox.order };
    };
    expect(run(code)).toEqual(run(bundled));
    expect(run(code).order).toEqual(['entry', 'cjs', 'esm']);
  });

  it('is what V8 compiles with the script: the arrow is parsed again on its call, the function expression is not', () => {
    const script = join(folder, 'lazy.js');
    const source = `${HELPERS}var a=N((e,t)=>{t.exports=1});var b=N((function(e,t){t.exports=2}));a();b();`;
    writeFileSync(script, source);
    const logfile = join(folder, 'lazy.log');
    execFileSync(process.execPath, ['--log-function-events', `--logfile=${logfile}`, '--no-logfile-per-isolate', script]);
    const log = readFileSync(logfile, 'utf8').split('\n').map((line) => line.split(','));
    const scriptId = log.find((f) => f[0] === 'script-details' && f[2] === script)?.[1];
    // A function's events name it by where it ends: just past its closing brace.
    const events = (body: string) => {
      const end = source.indexOf(body) + body.length;
      return log.filter((f) => f[0] === 'function' && f[2] === scriptId && Number(f[4]) === end).map((f) => f[1]);
    };
    const arrow = events('t.exports=1}');
    const expression = events('t.exports=2}');
    expect(arrow).toContain('parse-function');
    expect(expression).not.toContain('parse-function');
    expect(expression).toContain('full-parse');
    expect(expression).toContain('first-execution');
  });
});

describe('the built bundles', () => {
  it.each(['dist/origin-response/index.js', 'dist/bench/sharp-only.js'])('%s has every module wrapper that can be written so written', (file) => {
    const shipped = readFileSync(join(ROOT, file), 'utf8');
    const again = eagerWrappers(shipped, file);
    expect(again.eager).toBe(0);
    // sharp alone has about 40 wrapped modules; with the SDK, about 220.
    expect(shipped.match(/=[\w$]+\(\(function\(/g)?.length ?? 0).toBeGreaterThan(file.includes('sharp-only') ? 30 : 150);
  });
});
