/**
 * `compute`, remembered for up to `limit` distinct keys. When full it forgets everything at once rather than
 * tracking use: the callers see a few values over and over (log messages, a browser's `Accept`), so a flood of
 * new keys only ever empties it, and a lookup stays one Map read on the viewer-request's every call.
 */
export function boundedMemo<V>(limit: number, compute: (key: string) => V): (key: string) => V {
  const remembered = new Map<string, V>();
  return (key) => {
    let value = remembered.get(key);
    if (value === undefined) {
      value = compute(key);
      if (remembered.size >= limit) remembered.clear();
      remembered.set(key, value);
    }
    return value;
  };
}
