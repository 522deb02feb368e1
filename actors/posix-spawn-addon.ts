// Loading native/posix_spawn.c, the addon that makes posix-spawn.ts's C library calls with ~1.4 MiB
// less of the daemon's memory than koffi (see the C file). It is built at `npm install` where a C
// compiler is at hand (scripts/build-addon.js); elsewhere koffi makes the same calls.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LibcSpawn } from './posix-spawn-libc.js';

/** The package's root: the nearest directory above this module (dist/actors when compiled, dist/cli/chunks/supervisord when bundled) with the addon's source. */
function packageRoot(): string | null {
  for (let directory = path.dirname(fileURLToPath(import.meta.url)); ; directory = path.dirname(directory)) {
    if (fs.existsSync(path.join(directory, 'native', 'binding.gyp'))) return directory;
    if (path.dirname(directory) === directory) return null;
  }
}

type AddonExports = Omit<LibcSpawn, 'addCloseFrom'> & { addCloseFrom?: LibcSpawn['addCloseFrom'] };

/** The addon's calls; null where it was not built. Throws when the file is there but cannot be loaded. */
export function loadSpawnAddon(): LibcSpawn | null {
  const root = packageRoot();
  const file = root && path.join(root, 'native', 'build', 'Release', 'posix_spawn.node');
  if (file === null || !fs.existsSync(file)) return null;
  const addon = { exports: {} as AddonExports };
  process.dlopen(addon, file);
  // glibc before 2.34 and musl have no posix_spawn_file_actions_addclosefrom_np.
  return { ...addon.exports, addCloseFrom: addon.exports.addCloseFrom ?? null };
}
