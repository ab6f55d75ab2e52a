/**
 * The cold start's floor (bench/edge-child.ts, mode `floor`): sharp and nothing else, bundled by bench/build.mjs
 * into dist/bench/sharp-only.js exactly as the origin-response bundle holds it (its JavaScript inside, its addon
 * and libvips from node_modules), so the floor loads sharp no slower than ours does.
 */
export { default as sharp } from 'sharp';
