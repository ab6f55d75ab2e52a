// How the commands that run on the user's machine (not on Lambda) are bundled, shared by scripts/build-local.mjs,
// scripts/build-deploy.mjs and bench/build.mjs: ESM for plain Node 20, packages external so they load from
// node_modules as in development. Spread into esbuild's options next to the entry points and output folder.
export const NODE_COMMAND = {
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
};
