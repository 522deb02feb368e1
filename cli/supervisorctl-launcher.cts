#!/usr/bin/env node
// supervisorctl as installed (package.json's bin): runs the CommonJS bundle of
// cli/supervisorctl.ts that `npm run build` writes beside this file, with the V8 code cache the
// build made of it. A `supervisorctl status` lasts a few tens of milliseconds on top of Node's
// own start, so how it starts counts: as CommonJS it skips the ES module loader (~4 ms), and
// with the cache V8 neither parses nor compiles the bundle (~3 ms). Without the cache, or with
// one V8 rejects (made by another Node version), the bundle is compiled from source as usual;
// without the bundle (a plain `npx tsc -p .`), tsc's module runs.
//
// CommonJS, not an ES module like the rest: this file must not start the module loader either.
import fs = require('node:fs');
import path = require('node:path');
import vm = require('node:vm');

/** The bundle: a complete supervisorctl, runnable on its own too (only slower to start). */
const BUNDLE = path.join(__dirname, 'supervisorctl-bundle.cjs');
const CODE_CACHE = `${BUNDLE}.v8cache`;

/** The bundle as one function of CommonJS's module arguments; the cache must be made of this. */
function compileBundle(source: string, cachedData?: Buffer): vm.Script {
  return new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData });
}

function readOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

type ModuleFunction = (exports: object, load: NodeJS.Require, self: NodeJS.Module, filename: string, dirname: string) => void;

if (require.main === module) {
  const source = readOrUndefined(() => fs.readFileSync(BUNDLE, 'utf8'));
  if (source === undefined) {
    void import('./supervisorctl.js');
  } else {
    const script = compileBundle(
      source,
      readOrUndefined(() => fs.readFileSync(CODE_CACHE)),
    );
    (script.runInThisContext() as ModuleFunction)(exports, require, module, BUNDLE, __dirname);
  }
}

export = { BUNDLE, CODE_CACHE, compileBundle };
