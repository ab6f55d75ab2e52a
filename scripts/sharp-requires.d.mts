import type { Plugin } from 'esbuild';

/** The sharp release this rewrite was verified against. */
export declare const VERIFIED: Readonly<Record<string, string>>;
/** Throws unless the installed sharp (or `installed`) is the verified one. */
export function checkSharpRequires(installed?: Readonly<Record<string, string | undefined>>): void;
/** The esbuild plugin that bundles sharp's CommonJS build, its from-source addon requires made "not found". */
export function sharpBundled(): Plugin;
