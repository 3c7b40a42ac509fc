// Bundles app.js and its dependencies (installed by `npm ci`) into vendor/app.bundle.js,
// the one script index.html loads. Run from anywhere: node examples/instantsearch/build.mjs
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

await build({
  absWorkingDir: here,
  entryPoints: ['app.js'],
  outfile: 'vendor/app.bundle.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  // The libraries' license notices go next to the bundle.
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
console.log(`built ${path.join(here, 'vendor/app.bundle.js')}`);
