// Each build rewrite of upstream code (sharp's, the SDK's, esbuild's output) names the exact versions it was
// verified against. Any other installed version fails the build until the rewrite is checked again: a rewrite
// that no longer fits its target may still build, and only run slower or differently (docs/upgrading.md).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';

/** The package.json of `name` as Node resolves it from the file `from` (the project's own, by default). */
export function packageJsonOf(name, from = join(process.cwd(), 'package.json')) {
  // Resolved through the entry point, since a package's `exports` need not list its package.json.
  let dir = dirname(createRequire(from).resolve(name));
  for (; dir !== parse(dir).root; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name) return file;
  }
  throw new Error(`cannot find the package.json of ${name} resolved from ${from}`);
}

/** The installed version of `name`, read from its package.json. */
export function installedVersion(name, from) {
  return JSON.parse(readFileSync(packageJsonOf(name, from), 'utf8')).version;
}

/**
 * Throws unless every package in `verified` (name to version) is installed at exactly that version, with a
 * message that says what to re-verify. `installed` maps the same names to what is installed.
 */
export function checkVerified(rewrite, verified, installed) {
  for (const [name, version] of Object.entries(verified)) {
    if (installed[name] === version) continue;
    throw new Error(
      `${name} ${installed[name]} is not the ${version} that ${rewrite} was verified against: re-read ` +
        `what ${rewrite} expects of it, re-run npm test and npm run bench -- --only cold, and update VERIFIED in ` +
        `${rewrite} (docs/upgrading.md)`,
    );
  }
}
