import type { Plugin } from 'esbuild';

/** See sharp-requires.mjs: the CommonJS source of the module that stands in for node:child_process. */
export declare const CHILD_PROCESS_STAND_IN: string;
/** node:child_process for sharp's libvips.cjs and detect-libc, loaded on first use. */
export function lazyChildProcess(): Plugin;
/** The three semver functions sharp's libvips.cjs uses, each from its own entry, loaded on first use. */
export function semverFunctions(): Plugin;
/** See sharp-requires.mjs: the CommonJS source of the module that stands in for @img/colour. */
export declare const COLOUR_STAND_IN: string;
/** @img/colour for sharp's colour.cjs, initialised on its first call. */
export function lazyColour(): Plugin;
/** Every esbuild plugin for sharp's JavaScript in a bundle: its CommonJS build, and the three above. */
export function sharpBundled(): Plugin[];
