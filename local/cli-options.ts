/**
 * Command-line options for `npm start` and `npm run load`, read with node:util's parseArgs. A bad option ends
 * the process with a one-line reason and the usage, as does a value that is not what its option takes.
 */
/** Ends the process with `command: message` on stderr and exit code 1. */
export function failCommand(command: string, message: string): never {
  console.error(`${command}: ${message}`);
  process.exit(1);
}

/**
 * The options `parse` reads (node:util's parseArgs with the command's options), or the end of the process on a bad
 * one; `whole` reads a whole-number option.
 */
export function commandLine<T extends { values: object }>(
  command: string,
  usage: string,
  parse: () => T,
): { values: T['values']; whole: (name: string, value: string | undefined, fallback: number) => number } {
  const fail = (message: string) => failCommand(command, message);
  const read = (): T => {
    try {
      return parse();
    } catch (error) {
      return fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    }
  };
  /** A whole number (plain digits), or `fallback` when the option is not given. */
  const whole = (name: string, value: string | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
      fail(`${name} must be a whole number, got "${value}"\n${usage}`);
    }
    return number;
  };
  return { values: read().values, whole };
}
