/** The esbuild version this rewrite was verified against. */
export declare const VERIFIED: Readonly<Record<string, string>>;
/** Throws unless the installed esbuild (or `versions`) is the verified one. */
export function checkCommonJsHandler(versions?: Readonly<Record<string, string | undefined>>): void;
/** An esbuild ES module whose only export is `handler`, at its end, as a CommonJS script. */
export function asCommonJs(code: string, file: string): string;
