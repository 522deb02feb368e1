// Wall time of `supervisorctl status` runs: hyperfine when installed, else a plain timing loop.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { scratchRoot } from './cleanup.js';
import { median } from './measurement.js';

export const HAVE_HYPERFINE = spawnSync('hyperfine', ['--version']).status === 0;

/** Fails unless `argv` (a `supervisorctl status`) exits 0 listing `programs` programs RUNNING. */
export function checkStatus(argv: string[], programs: number): void {
  const check = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  const running = check.stdout.split('\n').filter((line) => /\sRUNNING\s/.test(line)).length;
  if (check.status !== 0 || running !== programs) {
    throw new Error(`${argv.join(' ')}: exit ${check.status}, ${running} RUNNING lines\n${check.stdout.slice(0, 500)}${check.stderr}`);
  }
}

/** A command to time, and the environment it runs in (this process's when not given). */
export interface TimedCommand {
  argv: string[];
  env?: NodeJS.ProcessEnv;
}

/** Wall times in ms of one run of `commands` with hyperfine: `runs` each, back to back, in `env`. */
function hyperfineTimes(commands: string[][], runs: number, env: NodeJS.ProcessEnv | undefined): number[][] {
  const json = path.join(scratchRoot, 'hyperfine.json');
  const run = spawnSync(
    'hyperfine',
    ['-N', '--style', 'none', '--warmup', '2', '--runs', String(runs), '--export-json', json, ...commands.map((argv) => argv.join(' '))],
    { encoding: 'utf8', env, timeout: 150_000, killSignal: 'SIGKILL' },
  );
  if (run.status !== 0) throw new Error(`hyperfine failed: ${run.stderr}`);
  const parsed = JSON.parse(fs.readFileSync(json, 'utf8')) as { results: { times: number[] }[] };
  return commands.map((_, c) => (parsed.results[c]?.times ?? []).map((t) => t * 1000));
}

/**
 * Median wall time in ms of each command over `runs` runs, in `rounds` rounds that each run every
 * command in turn (hyperfine when installed, which runs one command's runs back to back, and
 * once for each environment; the rounds interleave them, so that a change of machine load
 * reaches all commands alike).
 */
export function wallTimes(commands: TimedCommand[], runs: number, rounds: number): number[] {
  const times: number[][] = commands.map(() => []);
  const perRound = Math.ceil(runs / rounds);
  const environments = [...new Set(commands.map((c) => c.env))];
  for (let round = 0; round < rounds; round += 1) {
    if (HAVE_HYPERFINE) {
      for (const env of environments) {
        const indexes = commands.flatMap((c, i) => (c.env === env ? [i] : []));
        const measured = hyperfineTimes(
          indexes.map((i) => commands[i]?.argv ?? []),
          perRound,
          env,
        );
        indexes.forEach((i, k) => times[i]?.push(...(measured[k] ?? [])));
      }
    } else {
      for (let i = 0; i < perRound; i += 1) {
        commands.forEach(({ argv, env }, c) => {
          const start = process.hrtime.bigint();
          spawnSync(argv[0] ?? '', argv.slice(1), { stdio: 'ignore', env, timeout: 20_000, killSignal: 'SIGKILL' });
          times[c]?.push(Number(process.hrtime.bigint() - start) / 1e6);
        });
      }
    }
  }
  return times.map(median);
}
