// Loading koffi, the FFI through which the reaper calls the C library, and the daemon too where
// our own addon was not built (posix-spawn-addon.ts). The package's entry (a loader that reads
// node's ELF header to choose a build, and deprecation wrappers) costs ~1.5 MB of RSS beyond the
// addon itself, which a daemon would keep for its whole life: so the prebuilt addon
// is opened directly from where koffi 3 installs it, and the entry is only the fallback (another
// layout, a build of its own).
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Koffi from 'koffi';

const requireHere = createRequire(import.meta.url);

function openPrebuilt(): typeof Koffi | null {
  const { platform, arch } = process;
  let directory: string;
  try {
    directory = path.dirname(requireHere.resolve(`@koromix/koffi-${platform}-${arch}/package.json`));
  } catch {
    return null;
  }
  for (const build of [`${platform}_${arch}`, `musl_${arch}`]) {
    const addon = { exports: {} };
    try {
      process.dlopen(addon, path.join(directory, build, 'koffi.node'));
      return addon.exports as typeof Koffi;
    } catch {
      // Not this C library's build (or not there): the next.
    }
  }
  return null;
}

/** koffi's functions; throws when it cannot be loaded here. */
export function loadKoffi(): typeof Koffi {
  return openPrebuilt() ?? (requireHere('koffi') as typeof Koffi);
}
