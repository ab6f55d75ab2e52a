// The viewer-request as a CommonJS script without esbuild's ES-module interop helpers, which would be a large
// share of its small bundle (docs/performance.md, "Build rewrites"); it has no dependency that needs them.
import { checkVerified, installedVersion } from './verified.mjs';

/** The esbuild whose ES-module output this reads. */
export const VERIFIED = { esbuild: '0.28.2' };

/** Throws unless the installed esbuild (or `versions`, for a test) is the verified one. */
export function checkCommonJsHandler(versions = { esbuild: installedVersion('esbuild') }) {
  checkVerified('scripts/commonjs-handler.mjs', VERIFIED, versions);
}

/**
 * `code`, an ES module from esbuild, as the CommonJS script Lambda loads for `index.handler`: its one export
 * statement, which must be the last thing in it, becomes an `exports.handler` assignment. Anything else (an
 * import, another export, import.meta) fails the build rather than ship a module Lambda cannot load, but named
 * imports of Node's own modules (`node:crypto`), which become one `require` each at the start.
 */
export function asCommonJs(code, file) {
  const match = /export\s*\{\s*([\w$]+) as handler\s*\};\s*$/.exec(code);
  const requires = [];
  const body = (match ? code.slice(0, match.index) : code).replace(
    /import\s*\{([\w$\s,]*)\}\s*from\s*("node:[a-z_]+");?/g,
    (_, names, module) => {
      requires.push(`const{${names.replace(/\s+as\s+/g, ':')}}=require(${module});`);
      return '';
    },
  );
  if (!match || /(?:^|[;}])\s*(?:import|export)[\s{*]/.test(body) || /\bimport\.meta\b/.test(body)) {
    throw new Error(`${file}: expected an ES module whose only export is "handler", at its end`);
  }
  // An ES module's code is strict; as a CommonJS script it must say so.
  return `"use strict";${requires.join('')}${body}exports.handler=${match[1]};\n`;
}
