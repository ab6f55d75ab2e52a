// How sharp's JavaScript goes into the origin-response bundle; its addon and libvips stay in node_modules.
//
// Loaded from node_modules, sharp is about 50 files (semver alone is most of them), each found and read on every
// cold start; bundled, it is one script already in memory (docs/performance.md, "Build rewrites"). Two things
// make it need help:
// - its ES-module build finds its addon through `import.meta.url`, which a CommonJS bundle does not have, so
//   `sharp` resolves to its CommonJS build;
// - that build first tries two addons compiled from source inside its own folder (`../src/build/Release/…`).
//   From a bundle those paths would resolve beside the bundle, never in sharp's folder, and no package of ours
//   holds a from-source build (scripts/stage-lambda.mjs ships the prebuilt one). They become the "module not
//   found" they would always be, which sharp records and passes over as before; the prebuilt addon is next.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { checkVerified, installedVersion } from './verified.mjs';

/** The sharp release whose sharp.cjs this rewrite was read against. */
export const VERIFIED = { sharp: '0.35.5' };

/** Throws unless the installed sharp (or `installed`, for a test) is the verified one. */
export function checkSharpRequires(installed = { sharp: installedVersion('sharp') }) {
  checkVerified('scripts/sharp-requires.mjs', VERIFIED, installed);
}

/** The source requires of an addon compiled from sharp's own folder, and what each becomes. */
const FROM_SOURCE = /require\(`\.\.\/src\/build\/Release\/[^`]*`\)/g;
const NOT_FOUND =
  '(()=>{throw Object.assign(new Error("sharp: no addon compiled from source in this bundle"),' +
  '{code:"MODULE_NOT_FOUND"})})()';

/** The esbuild plugin that bundles sharp's CommonJS build, as described above. */
export function sharpBundled() {
  checkSharpRequires();
  const commonJsEntry = createRequire(import.meta.url).resolve('sharp');
  return {
    name: 'sharp-bundled',
    setup(b) {
      b.onResolve({ filter: /^sharp$/ }, () => ({ path: commonJsEntry }));
      b.onLoad({ filter: /[\\/]sharp[\\/]dist[\\/]sharp\.cjs$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const found = source.match(FROM_SOURCE)?.length ?? 0;
        // A sharp release that loads its addon differently must be looked at, not bundled blind.
        if (found !== 2) throw new Error(`${args.path}: expected 2 from-source addon requires, found ${found}`);
        return { contents: source.replace(FROM_SOURCE, NOT_FOUND), loader: 'js' };
      });
    },
  };
}
