// How sharp's JavaScript goes into the origin-response bundle (its addon and libvips stay in node_modules), and
// what it requires when it loads, trimmed to what a cold start on Lambda runs.
//
// sharp's libvips.cjs (and detect-libc, which it uses) require two things at load that a prebuilt addon on glibc
// Linux never needs there. Over 80 interleaved cold starts the two together took about 13 ms off each
// (`npm run bench`'s cold start; README, "What the measurements changed"). Its colour.cjs requires a colour
// package that a miss needs only when it has a colour to parse: about 10 ms more. Each plugin fails the build if
// the package's source no longer takes from the module exactly what the stand-in offers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** sharp's module that finds libvips, and the one that requires child_process and semver. */
const LIBVIPS_CJS = /[\\/]sharp[\\/]dist[\\/]libvips\.cjs$/;

/** The names a source file takes from a module, as `pattern`'s first group lists them; throws if none. */
function usedNames(file, pattern) {
  const names = [...readFileSync(file, 'utf8').matchAll(pattern)].flatMap((m) => m[1].split(',').map((n) => n.trim()).filter(Boolean));
  if (names.length === 0) throw new Error(`${file}: found no use of ${pattern} where one was expected`);
  return [...new Set(names)];
}

function offeredOnly(file, pattern, offered) {
  const other = usedNames(file, pattern).filter((name) => !offered.includes(name));
  if (other.length > 0) throw new Error(`${file}: uses ${other.join(', ')}, which the build's stand-in does not offer (${offered.join(', ')})`);
}

/** Each of `names` as an export that forwards its calls to `callee(name)`, an expression evaluated per call. */
function forwarding(names, callee) {
  return ['"use strict";', ...names.map((name) => `exports.${name} = (...args) => ${callee(name)}(...args);`)].join('\n');
}

/**
 * node:child_process, loaded only when sharp or detect-libc runs a command: sharp's libvips.cjs takes `spawnSync`
 * (for pkg-config, a global libvips, or Rosetta on macOS), detect-libc `exec` and `execSync` (when neither the
 * node binary's ELF interpreter nor /usr/bin/ldd tells the libc). On Lambda none of that runs, and Lambda's
 * runtime does not load child_process itself, so under its node flags (which make Node compile its own modules
 * from source) loading it, with dgram and its other parts, was paid by every cold start: about 8 ms.
 */
const CHILD_PROCESS_OFFERED = ['exec', 'execSync', 'spawnSync'];
export const CHILD_PROCESS_STAND_IN = `${forwarding(CHILD_PROCESS_OFFERED, (name) => `load().${name}`)}
let real;
function load() { return real ??= require("node:child_process"); }
`;
const CHILD_PROCESS_USERS = [
  { importer: LIBVIPS_CJS, pattern: /const \{([^}]*)\} = require\('node:child_process'\)/g },
  { importer: /[\\/]detect-libc[\\/]lib[\\/]detect-libc\.js$/, pattern: /childProcess\.(\w+)/g },
];

export function lazyChildProcess() {
  return {
    name: 'lazy-child-process',
    setup(b) {
      b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => {
        const user = CHILD_PROCESS_USERS.find((u) => u.importer.test(args.importer));
        if (!user) return undefined;
        offeredOnly(args.importer, user.pattern, CHILD_PROCESS_OFFERED);
        return { path: 'child_process', namespace: 'lazy-child-process' };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({ contents: CHILD_PROCESS_STAND_IN, loader: 'js' }));
    },
  };
}

/**
 * semver's three functions that sharp's libvips.cjs uses, each from semver's own per-function entry
 * (`semver/functions/coerce`, documented as a way to load less) and on its first call. `require('semver')` loads
 * every module semver has (about 40, each range and comparison function) for the one `coerce` libvips.cjs runs
 * at load; the other two run only when the addon cannot load or a global libvips is in use.
 */
const SEMVER_FUNCTIONS = ['coerce', 'satisfies', 'gte'];

export function semverFunctions() {
  return {
    name: 'semver-functions',
    setup(b) {
      b.onResolve({ filter: /^semver$/ }, (args) => {
        if (!LIBVIPS_CJS.test(args.importer)) return undefined;
        offeredOnly(args.importer, /\bsemver\.(\w+)/g, SEMVER_FUNCTIONS);
        // Resolved from sharp's folder, so the semver sharp depends on.
        return { path: args.importer, namespace: 'semver-functions' };
      });
      b.onLoad({ filter: /.*/, namespace: 'semver-functions' }, (args) => ({
        contents: forwarding(SEMVER_FUNCTIONS, (name) => `require("semver/functions/${name}")`),
        resolveDir: dirname(args.path),
        loader: 'js',
      }));
    },
  };
}

/**
 * @img/colour, sharp's copy of the `color` package, initialised on sharp's first colour to parse: sharp's
 * colour.cjs requires it at load and calls it, as `color(value)`, only to read a background, tint or flatten
 * colour. Its set-up builds the conversions between every pair of colour models: 13.6 ms of a cold start under
 * Lambda's node flags, bundled alone, for a miss that parses no colour (a resize that keeps the aspect ratio, the
 * default). The stand-in is that one function; the real package stays in the bundle, behind it.
 */
const COLOUR_CJS = /[\\/]sharp[\\/]dist[\\/]colour\.cjs$/;
export const COLOUR_STAND_IN = `"use strict";
let real;
module.exports = (...args) => (real ??= require("@img/colour"))(...args);
`;

export function lazyColour() {
  return {
    name: 'lazy-colour',
    setup(b) {
      b.onResolve({ filter: /^@img\/colour$/ }, (args) => {
        if (args.namespace !== 'file' || !COLOUR_CJS.test(args.importer)) return undefined;
        // Comments out (its JSDoc links the `color` package); then the binding once, and only calls of it after:
        // anything else (a property, passing it on) the stand-in does not offer.
        const source = readFileSync(args.importer, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
        const uses = source.match(/\bcolor\b/g)?.length ?? 0;
        const calls = source.match(/\bcolor\(/g)?.length ?? 0;
        if (!/^const color = require\('@img\/colour'\);$/m.test(source) || calls === 0 || uses !== calls + 1) {
          throw new Error(`${args.importer}: uses @img/colour other than by calling it (${uses} uses, ${calls} calls), which the build's stand-in does not offer`);
        }
        return { path: args.importer, namespace: 'lazy-colour' };
      });
      // Resolved from sharp's folder, so the @img/colour sharp depends on; the stand-in's own require is not
      // sharp's colour.cjs asking, so it reaches the real package.
      b.onLoad({ filter: /.*/, namespace: 'lazy-colour' }, (args) => ({ contents: COLOUR_STAND_IN, resolveDir: dirname(args.path), loader: 'js' }));
    },
  };
}

/**
 * sharp's JavaScript goes into the origin-response bundle. Loaded from node_modules it is about 50 files (semver
 * alone is most of them), each found and read on every cold start; bundled, the cold start is about 20 ms shorter
 * (`npm run bench`, cold start). Two things make it need help:
 * - its ES-module build finds its addon through `import.meta.url`, which a CommonJS bundle does not have, so
 *   `sharp` resolves to its CommonJS build;
 * - that build first tries two addons compiled from source inside its own folder (`../src/build/Release/…`).
 *   From a bundle those paths would resolve beside the bundle, never in sharp's folder, and no package of ours
 *   holds a from-source build (scripts/stage-lambda.mjs ships the prebuilt one). They become the "module not
 *   found" they would always be, which sharp records and passes over as before; the prebuilt addon is next.
 */
function commonJsSharp() {
  const commonJsEntry = createRequire(import.meta.url).resolve('sharp');
  const fromSource = /require\(`\.\.\/src\/build\/Release\/[^`]*`\)/g;
  const notFound = `(()=>{throw Object.assign(new Error("sharp: no addon compiled from source in this bundle"),{code:"MODULE_NOT_FOUND"})})()`;
  return {
    name: 'sharp-bundled',
    setup(b) {
      b.onResolve({ filter: /^sharp$/ }, () => ({ path: commonJsEntry }));
      b.onLoad({ filter: /[\\/]sharp[\\/]dist[\\/]sharp\.cjs$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const found = source.match(fromSource)?.length ?? 0;
        // A sharp release that loads its addon differently must be looked at, not bundled blind.
        if (found !== 2) throw new Error(`${args.path}: expected 2 from-source addon requires, found ${found}`);
        return { contents: source.replace(fromSource, notFound), loader: 'js' };
      });
    },
  };
}

/** The esbuild plugins that bundle sharp's JavaScript as described above, in the order they apply. */
export function sharpBundled() {
  return [commonJsSharp(), lazyChildProcess(), semverFunctions(), lazyColour()];
}
