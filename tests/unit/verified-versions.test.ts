/**
 * Each build rewrite fails the build on any upstream version but the one it was verified against
 * (scripts/verified.mjs), and passes on what is installed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommonJsHandler, VERIFIED as COMMONJS_HANDLER } from '../../scripts/commonjs-handler.mjs';
import { checkFallbackCredentials, VERIFIED as FALLBACK_CREDENTIALS } from '../../scripts/fallback-credentials.mjs';
import { checkSchemaKeys, VERIFIED as SCHEMA_KEYS } from '../../scripts/schema-keys.mjs';
import { checkSharpRequires, VERIFIED as SHARP_REQUIRES } from '../../scripts/sharp-requires.mjs';
import { installedVersion, packageJsonOf } from '../../scripts/verified.mjs';

const ROOT = join(__dirname, '../..');

type Check = (versions?: Readonly<Record<string, string | undefined>>) => void;
const REWRITES: [string, Readonly<Record<string, string>>, Check][] = [
  ['scripts/sharp-requires.mjs', SHARP_REQUIRES, checkSharpRequires],
  ['scripts/fallback-credentials.mjs', FALLBACK_CREDENTIALS, checkFallbackCredentials],
  ['scripts/schema-keys.mjs', SCHEMA_KEYS, checkSchemaKeys],
  ['scripts/commonjs-handler.mjs', COMMONJS_HANDLER, checkCommonJsHandler],
];

/** `version` with its patch number one higher: a release the rewrite was not verified against. */
const nextPatch = (version: string) => version.replace(/\d+$/, (patch) => String(Number(patch) + 1));

describe('the verified upstream versions', () => {
  it.each(REWRITES)('%s passes on the installed versions', (_rewrite, _verified, check) => {
    expect(() => check()).not.toThrow();
  });

  it.each(REWRITES)(
    '%s fails on another version of a package, naming what to re-verify',
    (rewrite, verified, check) => {
      expect(Object.keys(verified).length).toBeGreaterThan(0);
      for (const [name, version] of Object.entries(verified)) {
        const other = nextPatch(version);
        const expected = `${name} ${other} is not the ${version} that ${rewrite} was verified against`;
        expect(() => check({ ...verified, [name]: other })).toThrow(expected);
        expect(() => check({ ...verified, [name]: other })).toThrow(`update VERIFIED in ${rewrite}`);
      }
    },
  );

  it("reads versions from the packages' own package.json, as Node resolves them", () => {
    const sharpPackage = readFileSync(join(ROOT, 'node_modules/sharp/package.json'), 'utf8');
    const sharp = JSON.parse(sharpPackage) as { version: string };
    expect(installedVersion('sharp')).toBe(sharp.version);
    expect(packageJsonOf('esbuild')).toBe(join(ROOT, 'node_modules/esbuild/package.json'));
    expect(() => installedVersion('no-such-package-here')).toThrow();
  });
});
