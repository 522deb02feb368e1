// The two bindings of the C calls posix-spawn.ts makes, for the tests that hold both to one
// contract: our addon (where `npm install` built it) and koffi, each null where it cannot be
// loaded here.
import { loadKoffi } from '../../actors/koffi.js';
import { loadSpawnAddon } from '../../actors/posix-spawn-addon.js';
import { bindLibc, type LibcSpawn } from '../../actors/posix-spawn-libc.js';

function orNull(load: () => LibcSpawn | null): LibcSpawn | null {
  try {
    return load();
  } catch {
    return null;
  }
}

export const LIBC_BINDINGS: ReadonlyArray<readonly [name: 'addon' | 'koffi', libc: LibcSpawn | null]> = [
  ['addon', orNull(loadSpawnAddon)],
  ['koffi', orNull(() => bindLibc(loadKoffi()))],
];
