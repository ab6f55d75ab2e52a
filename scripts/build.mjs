// `npm run build`: bundles each handler into dist/<name>/index.js, what ships (scripts/bundle.mjs says how), and
// prints the sizes. The bench's own variations are built by bench/build.mjs.
//   --path-pattern P  the behaviour's path pattern, for a config file that leaves it out (variant keys go under
//                     its prefix); scripts/serverless.mjs passes `--param pathPattern`
//   --out DIR         write DIR/<name>/index.js instead (packaging builds apart from what the tests load)
import { parseArgs } from 'node:util';
import { bundle, ORIGIN_EXTERNAL, resolvedConfig } from './bundle.mjs';

const { values: options } = parseArgs({ options: { 'path-pattern': { type: 'string' }, out: { type: 'string' } } });
const out = options.out ?? 'dist';
const { config, viewerSettings } = await resolvedConfig({ pathPattern: options['path-pattern'] });

// The viewer-request must stay tiny (1 MB package limit, and it runs on every request): no SDK, no sharp, and
// only the settings it reads (shared/config.ts's VIEWER_SETTINGS; its code is typed to read no others).
const viewer = await bundle({
  entry: 'viewer-request/index.ts',
  outfile: `${out}/viewer-request/index.js`,
  external: ['node:crypto'],
  values: Object.fromEntries(viewerSettings.map((key) => [key, config[key]])),
  format: 'esm',
});
if (viewer.inputs.some((i) => /node_modules\/(sharp|@aws-sdk)\//.test(i))) {
  throw new Error('the viewer-request bundle must not contain sharp or the AWS SDK');
}
// Its ceiling, checked on every build: it loads on every cold start of a function that runs on every request
// (docs/performance.md holds the target and the latest size).
const VIEWER_MAX_BYTES = 16 * 1024;
if (Buffer.byteLength(viewer.code) > VIEWER_MAX_BYTES) {
  throw new Error(`the viewer-request bundle is ${Buffer.byteLength(viewer.code)} bytes, over ${VIEWER_MAX_BYTES}`);
}

// sharp's JavaScript is bundled (scripts/sharp-requires.mjs); its native addon and libvips, @img/sharp-<platform>
// and @img/sharp-libvips-<platform>, are shipped beside the bundle in node_modules. The SDK's modules require()
// Node's own, which only a CommonJS bundle can do.
await bundle({
  entry: 'origin-response/index.ts',
  outfile: `${out}/origin-response/index.js`,
  external: ORIGIN_EXTERNAL,
  values: config,
  format: 'cjs',
  lazyCredentials: true,
});

// The regional refresh function (serverless.refresh.yml): the origin-response's pipeline and the CloudFront client.
await bundle({
  entry: 'refresh/index.ts',
  outfile: `${out}/refresh/index.js`,
  external: ORIGIN_EXTERNAL,
  values: config,
  format: 'cjs',
  lazyCredentials: true,
});
