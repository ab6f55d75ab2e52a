/**
 * Silencing the functions while a command reports: the stack runs both bundles in-process and they write their
 * JSON log lines to stdout, which is where `npm run load` and `npm run bench` print their results.
 */

/** Replaces stdout's writer with one that drops what it is given; returns the undo. */
export function dropStdout(): () => void {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (_chunk: unknown, ...rest: unknown[]) => {
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  return () => {
    process.stdout.write = write;
  };
}
