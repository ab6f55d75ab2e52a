/**
 * scripts/schema-keys.mjs: the SDK's schema module with its computed keys written out must describe exactly what
 * it described before, and let the origin-response bundle drop every S3 operation the function never sends.
 */
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inlineSchemaKeys, schemaKeysInlined } from '../../scripts/schema-keys.mjs';

const ROOT = join(__dirname, '../..');
const SCHEMAS = join(ROOT, 'node_modules/@aws-sdk/client-s3/dist-es/schemas/schemas_0.js');
const folder = mkdtempSync(join(tmpdir(), 'edge-resize-schema-keys-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('inlineSchemaKeys', () => {
  it('writes a computed key that names a string constant as that string', () => {
    const { code, keys } = inlineSchemaKeys(
      'const _h = "http";\nexport var A$ = [9, { [ _h ]: ["GET"], b: 1 }, () => A$];\n',
      'm.js',
    );
    expect(keys).toBe(1);
    expect(code).toBe('const _h = "http";\nexport var A$ = [9, { "http": ["GET"], b: 1 }, () => A$];\n');
  });

  it(
    'refuses what it cannot prove the same: another key ' + 'expression, a name that is no string constant, a binding',
    () => {
      expect(() => inlineSchemaKeys('export var A = { [1 + 1]: 2 };', 'm.js')).toThrow(/not a string constant/);
      expect(() => inlineSchemaKeys('let _h = "x"; export var A = { [_h]: 2 };', 'm.js')).toThrow(
        /not a string constant/,
      );
      expect(() => inlineSchemaKeys('const _n = 3; export var A = { [_n]: 2 };', 'm.js')).toThrow(
        /not a string constant/,
      );
      expect(() => inlineSchemaKeys('const _h = "x"; export var A = (_h) => ({ [_h]: 2 });', 'm.js')).toThrow(/shadow/);
    },
  );
});

/** The S3 schema module bundled whole, with or without the plugin, loaded: every export it has. */
async function schemaExports(inlined: boolean): Promise<Record<string, unknown>> {
  // One entry file per build: the two builds run at once, and rewriting a shared one let esbuild read it empty.
  const entry = join(folder, `entry-${inlined}.mjs`);
  writeFileSync(entry, `export * from ${JSON.stringify(SCHEMAS)};\n`);
  const outfile = join(folder, `schemas-${inlined}.cjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    plugins: inlined ? [schemaKeysInlined()] : [],
  });
  return createRequire(import.meta.url)(outfile) as Record<string, unknown>;
}

/** An export as JSON, each reference to another export (directly or through a thunk) written as its name. */
function described(exports: Record<string, unknown>): Record<string, string> {
  const names = new Map<unknown, string>(
    Object.entries(exports)
      .filter(([, v]) => typeof v === 'object' && v !== null)
      .map(([k, v]) => [v, k]),
  );
  const describe = (value: unknown, root: boolean): unknown => {
    if (!root && names.has(value)) return `ref:${names.get(value)}`;
    if (typeof value === 'function')
      return value.length === 0 && !/^class\b/.test(String(value))
        ? `thunk:${describe((value as () => unknown)(), false) as string}`
        : `function:${value.name}`;
    if (Array.isArray(value)) return value.map((item) => describe(item, false));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v, false)]));
    return value;
  };
  return Object.fromEntries(Object.entries(exports).map(([k, v]) => [k, JSON.stringify(describe(v, true))]));
}

describe('the S3 schema module, keys written out', () => {
  it("describes every operation and shape exactly as the SDK's own does", async () => {
    const [before, after] = await Promise.all([schemaExports(false), schemaExports(true)]);
    expect(Object.keys(before).length).toBeGreaterThan(400);
    expect(described(after)).toEqual(described(before));
    // The rewrite did happen: the module the SDK ships has computed keys.
    expect(inlineSchemaKeys(readFileSync(SCHEMAS, 'utf8'), SCHEMAS).keys).toBeGreaterThan(100);
  });

  it('leaves in the origin-response bundle the schemas of the operations it sends, and no other operation', () => {
    const sources = readdirSync(join(ROOT, 'origin-response'))
      .map((file) => readFileSync(join(ROOT, 'origin-response', file), 'utf8'))
      .join('\n');
    const sent = new Set([...sources.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]));
    const bundle = readFileSync(join(ROOT, 'dist/origin-response/index.js'), 'utf8');
    // Each object operation's HTTP trait names it (`/{Key+}?x-id=GetObject`); a bundle holding them all has dozens.
    const bundled = new Set([...bundle.matchAll(/x-id=(\w+)/g)].map((m) => m[1]));
    // HeadObject's trait is the bare `/{Key+}`: it names no operation to look for.
    const named = new Set([...sent].filter((name) => name !== 'HeadObject'));
    expect(named.size).toBeGreaterThan(0);
    expect(bundled).toEqual(named);
  });
});
