// Lets esbuild drop the S3 operations the origin-response never calls.
//
// The SDK describes every S3 operation and shape as a top-level array in one generated module
// (@aws-sdk/client-s3/dist-es/schemas/schemas_0.js). Their trait objects use computed keys naming string
// constants, `{ [_h]: ["GET", …] }` where `const _h = "http"`. esbuild keeps any declaration with a computed key,
// since evaluating a key could in general run code, so all of them were bundled for the three operations we use,
// and compiled and run on every cold start (docs/performance.md, "Build rewrites"). Writing each such key as the
// string it names changes no value and lets esbuild's tree shaking see that an unused schema has no effects.
import { parse } from 'acorn';
import { readFile } from 'node:fs/promises';
import { nodes } from './estree-nodes.mjs';
import { checkVerified, installedVersion } from './verified.mjs';

/** The S3 client whose generated schema module this was read against, and the esbuild whose tree shaking it feeds. */
export const VERIFIED = { '@aws-sdk/client-s3': '3.1169.0', esbuild: '0.28.2' };

function installed() {
  return { '@aws-sdk/client-s3': installedVersion('@aws-sdk/client-s3'), esbuild: installedVersion('esbuild') };
}

/** Throws unless the installed S3 client and esbuild (or `versions`, for a test) are the verified ones. */
export function checkSchemaKeys(versions = installed()) {
  checkVerified('scripts/schema-keys.mjs', VERIFIED, versions);
}

/** The generated schema modules of the SDK's clients. */
const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/]schemas[\\/][^\\/]+\.js$/;

/** `const NAME = "text"` declarations at the top level of a module: their names and texts. */
function stringConstants(program) {
  const constants = new Map();
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') continue;
    for (const { id, init } of statement.declarations) {
      if (id.type === 'Identifier' && init?.type === 'Literal' && typeof init.value === 'string') {
        constants.set(id.name, init.value);
      }
    }
  }
  return constants;
}

/**
 * `source` with each computed key that names a top-level string constant written as that string. Throws on a
 * computed key it cannot write so (another expression, or a name that is not such a constant), and on a
 * binding that could shadow a constant's name: a schema module the SDK generates differently must be looked at.
 */
export function inlineSchemaKeys(source, file) {
  const program = parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
  const constants = stringConstants(program);
  const edits = [];
  for (const node of nodes(program)) {
    const isFunction = ['ArrowFunctionExpression', 'FunctionExpression', 'FunctionDeclaration'].includes(node.type);
    if (isFunction && (node.params.length > 0 || node.body.type === 'BlockStatement')) {
      throw new Error(`${file}: a function with parameters or a body; its names could shadow a constant`);
    }
    if (node.type !== 'Property' || !node.computed) continue;
    const { key } = node;
    if (key.type !== 'Identifier' || !constants.has(key.name)) {
      throw new Error(`${file}: computed key at ${key.start} is not a string constant`);
    }
    const open = source.lastIndexOf('[', key.start);
    const close = source.indexOf(']', key.end);
    if (open < node.start || source.slice(open + 1, key.start).trim() || source.slice(key.end, close).trim()) {
      throw new Error(`${file}: unexpected computed key at ${key.start}`);
    }
    edits.push({ from: open, to: close + 1, text: JSON.stringify(constants.get(key.name)) });
  }
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += source.slice(at, edit.from) + edit.text;
    at = edit.to;
  }
  return { code: out + source.slice(at), keys: edits.length };
}

/** The esbuild plugin: every SDK schema module the bundle reads, its computed keys written out. */
export function schemaKeysInlined() {
  checkSchemaKeys();
  return {
    name: 'schema-keys-inlined',
    setup(b) {
      b.onLoad({ filter: SCHEMA_MODULE }, async (args) => {
        const { code } = inlineSchemaKeys(await readFile(args.path, 'utf8'), args.path);
        return { contents: code, loader: 'js' };
      });
    },
  };
}
