// Has V8 compile a bundle's module bodies when it compiles the script, not again when each is first run (every
// bundle is built so; the origin-response is the one with many).
//
// esbuild wraps every module that is reached lazily (most of the SDK, all of sharp) in a function handed to one
// of its two helpers, `__esm` and `__commonJS`: `var init_x = __esm(() => { …the module… })`. Each such module
// runs once, while the bundle loads. V8 compiles a function lazily unless it looks immediately called: it
// pre-parses the arrow with the rest of the script, then parses it again, whole, on its first call. A function
// expression in parentheses, `__esm((function () { … }))`, is V8's sign that a function is about to run, and it is
// compiled with the script instead. Loading the bundle under Lambda's node flags went from 119 to 108 ms
// (paired over 50 interleaved cold starts, Node 20; the same on Node 22). A parenthesised arrow is not taken as
// that sign, so each wrapper is written as a function expression: the same call for a body that uses no `this`,
// `arguments`, `super` or `new.target` of its own, the only ways the two kinds of function differ inside; a body
// that uses one is left as it is.
import { parse } from 'acorn';
import { nodes } from './estree-nodes.mjs';

/** Every node under `node` that shares its `this`: functions other than arrows have their own, so are not entered. */
function sameThisNodes(node) {
  return nodes(node, (n) => n.type !== 'FunctionExpression' && n.type !== 'FunctionDeclaration');
}

/** Whether an arrow's body reads anything an arrow takes from outside and a function expression has of its own. */
function usesOwnBindings(arrow) {
  for (const node of sameThisNodes(arrow.body)) {
    // Class fields and static blocks have a `this` of their own too; counted anyway, which only keeps an arrow.
    if (node.type === 'ThisExpression' || node.type === 'Super' || node.type === 'MetaProperty') return true;
    if (node.type === 'Identifier' && node.name === 'arguments') return true;
  }
  return false;
}

/**
 * esbuild's two wrapping helpers, by shape rather than by their minified names: a top-level
 * `var h = (fn, …) => () => { … fn(…) … }`, which returns a function that calls the wrapped one.
 */
function wrappingHelpers(program) {
  const helpers = new Set();
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const { id, init } of statement.declarations) {
      if (id.type !== 'Identifier' || init?.type !== 'ArrowFunctionExpression' || init.params.length < 2) continue;
      const [fn] = init.params;
      const inner = init.body;
      if (fn.type !== 'Identifier' || inner.type !== 'ArrowFunctionExpression' || inner.params.length > 0) continue;
      const callsFn = [...sameThisNodes(inner.body)].some((n) => n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === fn.name);
      if (callsFn) helpers.add(id.name);
    }
  }
  return helpers;
}

/**
 * `code` (a bundle esbuild wrote as a CommonJS script) with each module wrapper `h(() => {…})` written as
 * `h((function () {…}))`. Throws if more than esbuild's two helpers are found, as a sign that esbuild writes them
 * differently now and this must be looked at again.
 */
export function eagerWrappers(code, file) {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'script' });
  const helpers = wrappingHelpers(program);
  if (helpers.size > 2) throw new Error(`${file}: expected at most esbuild's two module wrapping helpers, found ${[...helpers].join(', ')}`);
  const edits = [];
  let kept = 0;
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const { init } of statement.declarations) {
      if (init?.type !== 'CallExpression' || init.callee.type !== 'Identifier' || !helpers.has(init.callee.name) || init.arguments.length !== 1) continue;
      const [arrow] = init.arguments;
      if (arrow.type !== 'ArrowFunctionExpression' || arrow.body.type !== 'BlockStatement' || arrow.async) continue;
      if (usesOwnBindings(arrow)) { kept++; continue; }
      const params = arrow.params.map((p) => code.slice(p.start, p.end)).join(',');
      edits.push({ from: arrow.start, to: arrow.body.start, text: `(function(${params})` }, { from: arrow.end, to: arrow.end, text: ')' });
    }
  }
  let out = '';
  let at = 0;
  for (const { from, to, text } of edits) {
    out += code.slice(at, from) + text;
    at = to;
  }
  return { code: out + code.slice(at), eager: edits.length / 2, kept };
}
