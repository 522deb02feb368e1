#!/usr/bin/env node
// supervisord as installed (package.json's bin): runs the CommonJS build of cli/supervisord.ts
// that `npm run build` writes under chunks/supervisord/ (its lazily loaded parts are files of
// their own there, as in an ES module build). A daemon started as an ES module keeps Node's
// module loader and what it loads (fs.promises, readline, the loader's own modules) resident
// for its whole life, ~0.5 MiB measured with 100 programs; as CommonJS none of it is loaded.
// Without the build (a plain `npx tsc -p .`), tsc's module runs.
//
// CommonJS, not an ES module like the rest: this file must not start the module loader either.
import fs = require('node:fs');
import path = require('node:path');

/** The daemon's CommonJS entry; its chunks beside it. */
const ENTRY = path.join(__dirname, 'chunks', 'supervisord', 'supervisord.js');

if (require.main === module) {
  if (fs.existsSync(ENTRY)) require(ENTRY);
  else void import('./supervisord.js');
}

export = { ENTRY };
