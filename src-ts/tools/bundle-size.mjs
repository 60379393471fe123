// Measures what the plugin adds to an app: dist/esm bundled, minified and gzipped as an app's
// bundler would ship it, with @capacitor/core (which every app has already) left out.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function bundle(splitting) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['dist/esm/index.js'],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2017',
    external: ['@capacitor/core'],
    splitting,
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return result;
}

function sizeOf(contents) {
  return { min: contents.length, gzip: gzipSync(contents, { level: 9 }).length };
}

/**
 * `total`: everything, the web implementation inlined. `initial`: what loads with the import on
 * Android and iOS, where the lazily imported web implementation is never fetched.
 */
export async function measureBundle() {
  const whole = await bundle(false);
  const split = await bundle(true);
  const entry = Object.keys(split.metafile.outputs).find(
    (out) => split.metafile.outputs[out].entryPoint === 'dist/esm/index.js',
  );
  const statics = [
    entry,
    ...split.metafile.outputs[entry].imports.filter((i) => i.kind === 'import-statement').map((i) => i.path),
  ];
  const initialFiles = split.outputFiles.filter((f) => statics.some((path) => f.path.endsWith(path)));
  const joined = Buffer.concat(initialFiles.map((f) => Buffer.from(f.contents)));
  return { total: sizeOf(Buffer.from(whole.outputFiles[0].contents)), initial: sizeOf(joined) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { total, initial } = await measureBundle();
  const kib = (n) => `${(n / 1024).toFixed(2)} KiB`;
  console.log(`esm bundle, min+gzip: ${kib(total.gzip)} (${total.gzip} B; minified ${kib(total.min)})`);
  console.log(`  loaded on import (web implementation split off): ${kib(initial.gzip)} (${initial.gzip} B)`);
}
