// Run by `npm install`: builds native/posix_spawn.c, the addon the daemon spawns its children
// through (actors/posix-spawn-addon.ts), with the node-gyp that comes with npm. It needs a C
// compiler, make and python3; where one is missing the install goes on, and the daemon makes the
// same calls through koffi, with ~1.4 MiB more memory. One line says which it will be.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const native = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'native');
const built = path.join(native, 'build', 'Release', 'posix_spawn.node');
const execPath = process.env.npm_execpath;
const nodeGyp =
  process.env.npm_config_node_gyp ??
  (execPath && path.join(path.dirname(execPath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));

function notBuilt(why) {
  process.stdout.write(`supervisor-node: the posix_spawn addon was not built (${why}); supervisord will spawn through koffi\n`);
}

if (!nodeGyp || !existsSync(nodeGyp)) {
  notBuilt("npm's node-gyp was not found");
} else {
  const result = spawnSync(process.execPath, [nodeGyp, 'rebuild'], { cwd: native, encoding: 'utf8' });
  if (result.status === 0 && existsSync(built)) {
    process.stdout.write(`supervisor-node: built ${path.relative(process.cwd(), built)}\n`);
  } else {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n');
    const firstError = output.find((line) => /error|not found|ERR!/i.test(line) && !/^gyp info/.test(line));
    notBuilt(firstError?.trim() ?? result.error?.message ?? `node-gyp exited with ${result.status}`);
  }
}
