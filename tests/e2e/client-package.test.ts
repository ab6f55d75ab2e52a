/**
 * `edge-resize/client` as a website gets it: the package is packed with `npm pack`, the tarball unpacked into a
 * fresh project's node_modules (the client needs none of the package's dependencies), and the helpers imported
 * exactly as a site would, by Node's ES module loader and by tsc. Their answers follow the configured policy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local/paths';
import { snapSize } from '../../shared/policy';
import CONFIG from '../../shared/resolved-config';

const IMPORT = "import { srcSet, imageUrl } from 'edge-resize/client';";
const WIDTHS = [1, 50, 333, 640, 641, 1999, 5000];

let dir: string;
let app: string;
let packed: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-resize-client-'));
  // `npm pack` runs the package's `prepare` (which builds the client) first; its output precedes the JSON.
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const listing = output.slice(output.search(/^\[/m));
  packed = (JSON.parse(listing) as [{ files: { path: string }[] }])[0].files.map((file) => file.path);
  const [tarball] = readdirSync(dir).filter((name) => name.endsWith('.tgz'));
  app = join(dir, 'app');
  const installed = join(app, 'node_modules', 'edge-resize');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, tarball!), '-C', installed, '--strip-components=1']);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'site', private: true, type: 'module' }));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('edge-resize/client from the packed tarball', () => {
  it('ships the built client and its types', () => {
    expect(packed).toEqual(
      expect.arrayContaining(['package.json', 'dist/client/index.mjs', 'dist/client/index.d.mts']),
    );
  });

  it('imports in Node as an ES module and answers on the configured size policy', () => {
    writeFileSync(
      join(app, 'site.mjs'),
      `${IMPORT}
console.log(JSON.stringify({
  url: imageUrl('/photos/my%20cat.jpg', {
    width: 333, height: 201, fit: 'cover', style: ['bw', 'blur'], format: 'webp',
  }),
  plain: imageUrl('/photos/cat.jpg', {}),
  srcset: srcSet('/photos/cat.jpg', ${JSON.stringify(WIDTHS)}, { style: ['bw'] }),
}));
`,
    );
    const answer = JSON.parse(execFileSync(process.execPath, ['site.mjs'], { cwd: app, encoding: 'utf8' })) as Record<
      string,
      string
    >;
    const snap = (n: number) => snapSize(n, CONFIG.sizes);
    expect(answer.url).toBe(
      `/photos/my%20cat.jpg?width=${snap(333)}&height=${snap(201)}&fit=cover&style=bw%2Cblur&format=webp`,
    );
    expect(answer.plain).toBe('/photos/cat.jpg');
    const widths = [...new Set(WIDTHS.map(snap))].sort((a, b) => a - b);
    expect(answer.srcset).toBe(widths.map((w) => `/photos/cat.jpg?width=${w}&style=bw ${w}w`).join(', '));
  });

  it('type-checks with tsc as a site would write it, and its types are real', () => {
    writeFileSync(
      join(app, 'site.ts'),
      `${IMPORT}
const url: string = imageUrl('/a.jpg', { width: 400, fit: 'contain', background: 'ff0000', quality: 60 });
const set: string = srcSet('/a.jpg', [320, 640], { format: 'avif' });
// @ts-expect-error fit takes inside, cover, contain or fill only
imageUrl('/a.jpg', { fit: 'crop' });
// @ts-expect-error srcSet sets the widths itself
srcSet('/a.jpg', [320], { width: 100 });
export { set, url };
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['site.ts'],
      }),
    );
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', app], { encoding: 'utf8' })).not.toThrow();
  });
});
