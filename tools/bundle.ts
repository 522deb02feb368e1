// The commands as users run them: `npm run build` compiles everything with tsc into dist/, then
// this replaces each command's entry module, dist/cli/NAME.js, by a bundle of it and of
// everything it imports (esbuild). Node then reads, resolves and compiles one file at start-up
// instead of ~450 (rxjs alone is ~230 CommonJS files), which is where a command's start-up went,
// and holds less source and fewer module records in memory. The other commands are one file
// each: what they import lazily is small, and a few more files to find and link cost
// supervisorctl ~9 ms of its start, more than compiling what it does not run.
// - supervisorctl, the one started again and again, is bundled as CommonJS instead and started
//   with a V8 code cache (below): dist/cli/supervisorctl.js stays tsc's module.
// - supervisord, the one that stays, is built as CommonJS too, started by
//   cli/supervisord-launcher.cts, but split: its code behind a dynamic import() (the daemon
//   behind the command line, the metrics with prom-client, the web UI, config checking) is a
//   chunk of its own under dist/cli/chunks/supervisord/, loaded only when used.
//   dist/cli/supervisord.js stays tsc's module.
// Bundles are written without comments and indentation: a module's source stays in memory as
// long as its functions exist, and one non-ASCII character in a comment (xstate has some) makes
// V8 hold a whole file's source at two bytes per character.
//
// Without this step (after a plain `npx tsc -p .`) the entries are tsc's modules: they behave
// the same, only start slower.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { build, transform, type BuildOptions } from 'esbuild';
import type DaemonLauncher from '../cli/supervisord-launcher.cjs';
import type Launcher from '../cli/supervisorctl-launcher.cjs';

/** This file is dist/tools/bundle.js once built. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliDir = path.join(repoRoot, 'dist', 'cli');

const ESM_COMMANDS = ['pidproxy', 'memmon', 'echo_supervisord_conf'];

// rxjs's exports map sends Node to its CommonJS build, which cannot be tree-shaken: its ES
// module build instead, of which only the few operators used remain.
const require = createRequire(import.meta.url);
const rxjsEsm = path.join(path.dirname(require.resolve('rxjs/package.json')), 'dist', 'esm', 'index.js');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // koffi is a native addon, loaded from its installed package (actors/koffi.ts).
  external: ['koffi'],
  alias: { rxjs: rxjsEsm },
  minifyWhitespace: true,
  logLevel: 'warning',
};

for (const name of ESM_COMMANDS) {
  await build({
    ...common,
    entryPoints: { [name]: path.join(cliDir, `${name}.js`) },
    outdir: cliDir,
    allowOverwrite: true,
    format: 'esm',
  });
}

// supervisord: split as an ES module build, then each file turned into CommonJS. A chunk's
// import() becomes a require() of it, the one place a CommonJS file would otherwise start the
// ES module loader; import() of anything else (a user's module) stays. The chunks keep their .js
// names, made CommonJS by a package.json beside them.
const daemonLauncher = require(path.join(cliDir, 'supervisord-launcher.cjs')) as typeof DaemonLauncher;
const chunkDir = path.dirname(daemonLauncher.ENTRY);
const split = await build({
  ...common,
  entryPoints: { [path.basename(daemonLauncher.ENTRY, '.js')]: path.join(cliDir, 'supervisord.js') },
  outdir: chunkDir,
  chunkNames: '[name]-[hash]',
  splitting: true,
  format: 'esm',
  write: false,
});
rmSync(chunkDir, { recursive: true, force: true });
mkdirSync(chunkDir, { recursive: true });
writeFileSync(path.join(chunkDir, 'package.json'), '{ "type": "commonjs" }\n');
/**
 * esbuild's interop gives each default import of a Node module a new object holding a getter for
 * every export (fs has ~100; the daemon's chunks import it 24 times: ~0.7 MiB of heap; each of
 * supervisorctl's costs its start time). An object inheriting from the module reads the same.
 */
function withNodeModuleInterop(code: string): string {
  const replaced = code.replaceAll(/__toESM\(require\("(node:[\w/]+)"\)(?:,1)?\)/g, '__nodeModule(require("$1"))');
  if (replaced === code) return code;
  // After a "use strict" directive, which must stay first to count.
  const strict = replaced.startsWith('"use strict";') ? '"use strict";' : '';
  return `${strict}var __nodeModule=(m)=>Object.create(m,{default:{value:m}});${replaced.slice(strict.length)}`;
}

const chunkNames = split.outputFiles.map((file) => path.basename(file.path));
for (const file of split.outputFiles) {
  // The launcher requires the entry: no #! line, which the helper below would otherwise follow.
  let text = file.text.replace(/^#!.*\n/, '');
  for (const name of chunkNames) text = text.replaceAll(`import("./${name}")`, `Promise.resolve().then(() => require("./${name}"))`);
  const transformed = await transform(text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    // koffi.ts resolves its addon from where its module is.
    define: { 'import.meta.url': '__import_meta_url' },
    banner: text.includes('import.meta.url') ? 'var __import_meta_url=require("node:url").pathToFileURL(__filename).href;' : '',
    logLevel: 'warning',
  });
  // As ES modules the chunks were strict code; as CommonJS they are only when they say so.
  const code = withNodeModuleInterop(transformed.code);
  writeFileSync(file.path, code.startsWith('"use strict";') ? code : `"use strict";${code}`);
}

// supervisorctl: one CommonJS file, started by cli/supervisorctl-launcher.cts with the code
// cache made here. It must not call import() (a vm.Script has no loader for it): the ctl's own
// lazy imports are bundled, and esbuild turns them into plain calls.
const launcher = require(path.join(cliDir, 'supervisorctl-launcher.cjs')) as typeof Launcher;
await build({
  ...common,
  entryPoints: [path.join(cliDir, 'supervisorctl.js')],
  outfile: launcher.BUNDLE,
  format: 'cjs',
});
// The launcher wraps the bundle in a function: a #! line would then be a syntax error.
writeFileSync(launcher.BUNDLE, withNodeModuleInterop(readFileSync(launcher.BUNDLE, 'utf8').replace(/^#!.*\n/, '')));
// V8 compiles a function when it is first called, and the cache holds only what was compiled:
// compiled eagerly here, all of it, so that a start compiles nothing. (The flag is not part of
// what V8 checks a cache against once it is set back.)
setFlagsFromString('--no-lazy');
const script = launcher.compileBundle(readFileSync(launcher.BUNDLE, 'utf8'));
setFlagsFromString('--lazy');
writeFileSync(launcher.CODE_CACHE, script.createCachedData());
