// What sharp's JavaScript requires when it loads, trimmed to what a cold start on Lambda runs.
//
// sharp's libvips.cjs (and detect-libc, which it uses) require two things at load that a prebuilt addon on glibc
// Linux never needs there. Over 80 interleaved cold starts the two together took about 13 ms off each
// (`npm run bench`'s cold start; README, "What the measurements changed"). Each plugin fails the build if the
// package's source no longer takes from the module exactly what the stand-in offers.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

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
  { importer: /[\\/]sharp[\\/]dist[\\/]libvips\.cjs$/, pattern: /const \{([^}]*)\} = require\('node:child_process'\)/g },
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
        if (!/[\\/]sharp[\\/]dist[\\/]libvips\.cjs$/.test(args.importer)) return undefined;
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
