// Walking the trees acorn parses (ESTree), for the build's source rewrites.

/** Every node of an ESTree, depth first; a node for which `descend` is false is yielded but not entered. */
export function* nodes(node, descend = () => true) {
  if (!node || typeof node.type !== 'string') return;
  yield node;
  if (!descend(node)) return;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const item of value) yield* nodes(item, descend);
    else if (value && typeof value === 'object') yield* nodes(value, descend);
  }
}
