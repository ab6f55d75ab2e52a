// Builds `edge-resize/client` into dist/client/: index.mjs (an ES module for browsers and bundlers) with the
// resolved edge-resize.config.ts's viewer settings baked in as plain JSON, signing keys left out (the rest of the
// configuration stays out of browser code), and index.d.mts, its types in one file.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDtsBundle } from 'dts-bundle-generator';

const OUT = 'dist/client';

/** shared/resolved-config.ts run once: the settings the deployed functions are built with. */
async function resolvedConfig() {
  const dir = mkdtempSync(join(tmpdir(), 'edge-resize-client-'));
  try {
    const outfile = join(dir, 'config.cjs');
    const stdin = {
      contents:
        "export { default } from './shared/resolved-config'; export { VIEWER_SETTINGS } from './shared/config';",
      resolveDir: '.',
      loader: 'ts',
    };
    await build({ stdin, outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
    return createRequire(import.meta.url)(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { default: config, VIEWER_SETTINGS } = await resolvedConfig();
const target = resolve('shared/resolved-config.ts');
// The viewer's policy, to compute the key a signature covers; never the signing keys themselves.
const clientConfig = { ...Object.fromEntries(VIEWER_SETTINGS.map((key) => [key, config[key]])), signingKeys: [] };
const bakeConfig = {
  name: 'bake-config',
  setup(b) {
    b.onLoad({ filter: /resolved-config\.ts$/ }, (args) =>
      args.path === target ? { contents: `export default ${JSON.stringify(clientConfig)};`, loader: 'js' } : undefined,
    );
  },
};

mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: ['client/index.ts'],
  outfile: `${OUT}/index.mjs`,
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  target: 'es2020',
  logLevel: 'warning',
  plugins: [bakeConfig],
});
const [types] = generateDtsBundle([{ filePath: 'client/index.ts', output: { noBanner: true } }], {
  preferredConfigPath: 'tsconfig.json',
});
writeFileSync(`${OUT}/index.d.mts`, types);
console.log(`${OUT}/index.mjs, ${OUT}/index.d.mts`);
