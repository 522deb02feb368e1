// The commands as users run them: `npm run build` compiles everything with tsc into dist/, then
// this replaces each command's entry module, dist/cli/NAME.js, by a bundle of it and of
// everything it imports (esbuild). Node then reads, resolves and compiles one file at start-up
// instead of ~450 (rxjs alone is ~230 CommonJS files), which is where a command's start-up went,
// and holds less source and fewer module records in memory. The daemon's code behind a dynamic
// import() (the daemon behind the command line, the metrics with prom-client) becomes a chunk of
// its own under dist/cli/chunks/supervisord/, loaded only when used, as before. The other
// commands are one file each: what they import lazily is small, and a few more files to find
// and link cost supervisorctl ~9 ms of its start, more than compiling what it does not run.
//
// Without this step (after a plain `npx tsc -p .`) the entries are tsc's modules: they behave
// the same, only start slower.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** This file is dist/tools/bundle.js once built. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliDir = path.join(repoRoot, 'dist', 'cli');

const COMMANDS = ['supervisord', 'supervisorctl', 'pidproxy', 'memmon', 'echo_supervisord_conf'];

// rxjs's exports map sends Node to its CommonJS build, which cannot be tree-shaken: its ES
// module build instead, of which only the few operators used remain.
const require = createRequire(import.meta.url);
const rxjsEsm = path.join(path.dirname(require.resolve('rxjs/package.json')), 'dist', 'esm', 'index.js');

// The bundled CommonJS packages (prom-client) require() Node's modules: an ES module has no
// require, so each chunk gets one, made on its first use (only the metrics chunk uses it).
const REQUIRE_BANNER = [
  "import { createRequire as __createRequire } from 'node:module';",
  'let __require_made;',
  'const require = (id) => (__require_made ??= __createRequire(import.meta.url))(id);',
].join(' ');

for (const name of COMMANDS) {
  const splitting = name === 'supervisord';
  await build({
    entryPoints: { [name]: path.join(cliDir, `${name}.js`) },
    outdir: cliDir,
    chunkNames: `chunks/${name}/[name]-[hash]`,
    allowOverwrite: true,
    bundle: true,
    splitting,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // koffi is a native addon, loaded from its package only by the process about to become the reaper.
    external: ['koffi'],
    alias: { rxjs: rxjsEsm },
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
  });
}
