// Run by `npm run prepare` before the build. `npm install -g .` in a fresh clone links the
// folder without installing its dependencies, so the build tools (TypeScript, esbuild) and the
// runtime packages are missing: install them first, from the lockfile, as `npm ci` in the clone
// would. A clone that has them already (a developer's, CI's after `npm ci`) is left alone.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (!['typescript', 'esbuild'].every((tool) => existsSync(path.join(root, 'node_modules', tool, 'package.json')))) {
  // The outer npm's settings arrive as npm_config_* variables: --global, --prefix and
  // --allow-scripts would make this a global install (or be refused in a project). Keep only
  // those that say where and how to fetch.
  const fetching =
    /^npm_config_(cache|userconfig|globalconfig|registry|.+:registry|proxy|https_proxy|noproxy|strict_ssl|cafile|offline|prefer_offline|prefer_online)$/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name) || fetching.test(name)));
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm]] : ['npm', []];
  execFileSync(command, [...args, 'ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, env, stdio: 'inherit' });
}
