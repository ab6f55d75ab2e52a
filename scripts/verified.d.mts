/** The package.json path of `name` as Node resolves it from the file `from` (the project's package.json). */
export function packageJsonOf(name: string, from?: string): string;
/** The installed version of `name`, read from its package.json. */
export function installedVersion(name: string, from?: string): string;
/** Throws unless each package in `verified` is installed (per `installed`) at exactly that version. */
export function checkVerified(
  rewrite: string,
  verified: Readonly<Record<string, string>>,
  installed: Readonly<Record<string, string | undefined>>,
): void;
