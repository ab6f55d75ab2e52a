// Runs one event through a handler unzipped from a deployment package, in its own process, as Lambda would:
//   node invoke-artifact.cjs <handler file> <event.json> <result.json>
// A separate process so the only sharp and libvips it can load are the ones in the package (a second libvips in the
// test process would be resolved to the first by its soname). The result records the native libraries mapped
// into this process, read from /proc/self/maps, and the files of every module loaded from a node_modules folder,
// so the test can tell which binaries and which packages actually ran, and the Node version that ran them.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const [handlerFile, eventFile, resultFile] = process.argv.slice(2);
const { handler } = require(handlerFile);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));

handler(event).then(
  (response) => {
    const mapped = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .map((line) => line.split(/\s+/).slice(5).join(' '))
      .filter((path) => /sharp|vips/.test(path));
    const modules = Object.keys(require.cache).filter((path) => path.includes('/node_modules/'));
    const result = { response, nativeLibraries: [...new Set(mapped)], modules, node: process.version };
    writeFileSync(resultFile, JSON.stringify(result));
  },
  (error) => {
    writeFileSync(resultFile, JSON.stringify({ thrown: String(error && error.stack) }));
  },
);
