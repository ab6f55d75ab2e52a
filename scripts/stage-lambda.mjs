// Assembles dist/lambda/<function>/: exactly what each Lambda@Edge zip will hold, for serverless.yml to package.
//   viewer-request/   index.js only (no node_modules: it must stay tiny)
//   refresh/          the regional function: index.js + the same node_modules/ as origin-response
//   origin-response/  index.js + node_modules/ with sharp's linux-x64 glibc binaries (its addon and libvips) and
//                     the SDK's fallback credential providers, which the bundle loads only if the environment
//                     holds no keys (sharp's JavaScript and the rest of the SDK are inside index.js)
// Lambda@Edge runs on linux x86_64 with glibc, whatever machine builds the zip (a Mac, an arm64 laptop), so the
// binaries are installed for that platform with `npm ci --os=linux --cpu=x64 --libc=glibc`, from a lockfile cut
// out of the project's own package-lock.json: the same versions and integrity hashes the tests ran against.
// Run after `npm run build` (scripts/serverless.mjs does both); `--from DIR` stages DIR/<function>/index.js instead
// of dist/'s.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FALLBACK_CREDENTIALS } from './fallback-credentials.mjs';

const OUT = 'dist/lambda';
const FROM = parseArgs({ options: { from: { type: 'string' } } }).values.from ?? 'dist';
const TARGET = { os: 'linux', cpu: 'x64', libc: 'glibc' };
/** sharp's prebuilt addon for TARGET; it depends on the matching libvips package, @img/sharp-libvips-linux-x64. */
const ADDON = '@img/sharp-linux-x64';

rmSync(OUT, { recursive: true, force: true });
stageBundle('viewer-request');
const origin = stageBundle('origin-response');
installModules(origin);
// The regional refresh function (serverless.refresh.yml) runs the same pipeline: the same modules beside it.
cpSync(join(origin, 'node_modules'), join(stageBundle('refresh'), 'node_modules'), { recursive: true });

function stageBundle(name) {
  const bundle = `${FROM}/${name}/index.js`;
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  const dir = join(OUT, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(bundle, join(dir, 'index.js'));
  return dir;
}

/** What the origin-response bundle loads from node_modules: the lockfile path of each package, by name. */
function shippedModules(packages) {
  const sharp = packages['node_modules/sharp'];
  const addon = `node_modules/${ADDON}`;
  // The bundled JavaScript loads this addon by name, and each sharp release ships its own: they must match.
  if (packages[addon]?.version !== sharp.version) {
    throw new Error(
      `package-lock.json: ${ADDON} is ${packages[addon]?.version ?? 'missing'}, sharp is ${sharp.version}`,
    );
  }
  // The very copies the bundle was built from: as Node resolves them from the SDK's credential chain.
  const chain = resolveIn(packages, resolveIn(packages, '', '@aws-sdk/client-s3'), '@aws-sdk/credential-provider-node');
  const roots = { [ADDON]: addon };
  for (const name of FALLBACK_CREDENTIALS) {
    roots[name] = resolveIn(packages, chain, name);
    if (!roots[name]) throw new Error(`package-lock.json cannot resolve ${name} from ${chain}`);
  }
  return roots;
}

function installModules(dir) {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const roots = shippedModules(lock.packages);
  const dependencies = Object.fromEntries(
    Object.entries(roots).map(([name, path]) => [name, lock.packages[path].version]),
  );
  const manifest = { name: 'edge-resize-origin-response', private: true, dependencies };
  const subset = {
    name: manifest.name,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: manifest.name, dependencies },
      ...Object.assign({}, ...Object.values(roots).map((path) => closure(lock.packages, path))),
    },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(subset, null, 2)}\n`);
  // --ignore-scripts: sharp's install script checks the *host's* binaries (and could try to compile); the
  // prebuilt linux-x64 packages need no script. --prefer-offline: the npm cache usually already holds them.
  const args = [
    'ci',
    `--os=${TARGET.os}`,
    `--cpu=${TARGET.cpu}`,
    `--libc=${TARGET.libc}`,
    '--omit=dev',
    '--ignore-scripts',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
  ];
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd: dir,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  for (const file of ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'node_modules/.bin']) {
    rmSync(join(dir, file), { recursive: true, force: true });
  }
  removeTypeDeclarations(join(dir, 'node_modules'));
  verify(dir, lock.packages['node_modules/sharp'].version);
  for (const name of FALLBACK_CREDENTIALS) {
    if (!existsSync(join(dir, 'node_modules', name, 'package.json')))
      throw new Error(`staging the credential chain failed: ${name} is missing`);
  }
}

/**
 * The SDK's packages each carry a `dist-types` folder of TypeScript declarations, over half of what the fallback
 * providers bring, which nothing loads at run time.
 */
function removeTypeDeclarations(modules) {
  for (const scope of readdirSync(modules)) {
    const packages = scope.startsWith('@')
      ? readdirSync(join(modules, scope)).map((name) => join(scope, name))
      : [scope];
    for (const name of packages) rmSync(join(modules, name, 'dist-types'), { recursive: true, force: true });
  }
}

/** The lockfile entries `root` needs at run time (dependencies and optional dependencies), resolved as Node does. */
function closure(packages, root) {
  const found = {};
  const visit = (path) => {
    if (found[path]) return;
    const entry = packages[path];
    if (!entry) throw new Error(`package-lock.json has no ${path}`);
    found[path] = entry;
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const resolved = resolveIn(packages, path, dep);
      if (resolved) visit(resolved);
      else if (!entry.optionalDependencies?.[dep])
        throw new Error(`package-lock.json cannot resolve ${dep} from ${path}`);
    }
  };
  visit(root);
  return found;
}

/** Where `dep` lives for the package at `from`: its own node_modules, then each parent's, up to the root. */
function resolveIn(packages, from, dep) {
  for (let base = from; ; base = base.replace(/\/?node_modules\/(?:@[^/]+\/)?[^/]+$/, '')) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
  }
}

/** Fails the packaging unless the linux-x64 glibc binaries, and only those, are in place. */
function verify(dir, version) {
  const img = join(dir, 'node_modules/@img');
  const required = [`sharp-linux-x64/lib/sharp-linux-x64-${version}.node`, 'sharp-libvips-linux-x64/lib'];
  for (const path of required) {
    if (!existsSync(join(img, path))) throw new Error(`staging sharp for linux-x64 failed: ${path} is missing`);
  }
  if (!readdirSync(join(img, 'sharp-libvips-linux-x64/lib')).some((f) => f.startsWith('libvips-cpp.so'))) {
    throw new Error('staging sharp for linux-x64 failed: libvips-cpp.so is missing');
  }
  const platforms = readdirSync(img).filter((name) => name.startsWith('sharp-'));
  const stray = platforms.filter((name) => !['sharp-linux-x64', 'sharp-libvips-linux-x64'].includes(name));
  if (stray.length > 0)
    throw new Error(`staging sharp for linux-x64 installed other platforms too: ${stray.join(', ')}`);
  console.log(`${dir}: sharp ${version} with ${platforms.join(', ')}`);
}
