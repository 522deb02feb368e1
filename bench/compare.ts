// Benchmark (not a test): our supervisord side by side with the reference (Supervisor 4.2.5,
// /usr/bin/supervisord) on this machine.
//
//   npm run bench [-- [--no-write] [--only name,name...]]
//   (it builds, then runs: node dist/bench/compare.js [--no-write] [--only name,name...])
//
// Every measurement starts each daemon in turn (the reference first) on the same generated config
// in a fresh temporary directory (unix socket server, rpcinterface section, logs inside the
// directory), in the foreground (-n), in its own process group. Everything the daemon started
// carries a marker variable in its environment; when a measurement ends the daemon's group is
// killed and then every process carrying the marker, and the directory is removed, whatever
// happened. Every process started gets a narrowed environment (compare/environment.ts). Every
// wait is bounded; the whole run takes about 10 minutes (it gives up after 15).
// Only unix sockets.
//
// The table is printed and (unless --no-write, or with --only) written between the
// generated-section markers of docs/benchmarks.md, whose other text is kept.
//
// This file is the entry point: the arguments, the sections and their order. The daemon harness,
// the measurements and the report are in compare/.
import fs from 'node:fs';
import { runCommand } from '../common/command.js';
import { SupervisorError, UsageError } from '../common/errors.js';
// First of all: the scratch root, and the exit and signal handlers that remove it.
import './compare/cleanup.js';
import { restartLatency } from './compare/exit-restart.js';
import { crowdedDaemon } from './compare/crowd.js';
import { narrowEnvironment } from './compare/environment.js';
import { listenerLatency } from './compare/exit-event.js';
import { firstAnswerLatency } from './compare/first-answer.js';
import { idleDaemon } from './compare/idle.js';
import { OURS_DAEMON, REFERENCE_DAEMON } from './compare/installation.js';
import { manyPrograms } from './compare/many-programs.js';
import { captureThroughput } from './compare/output-capture.js';
import { RunLoad, generatedSection, machineFacts, writeGeneratedSection } from './compare/report.js';
import { readinessLatency } from './compare/readiness.js';
import { restartLoop } from './compare/restart-loop.js';
import { Results } from './compare/results.js';
import { rpcLoadMemory } from './compare/rpc-load.js';
import { stopTime } from './compare/sigterm-stop.js';
import { startManyPrograms } from './compare/start-many.js';

/** The whole run is aborted (and cleaned up) after this long. */
const DEADLINE_MS = 900_000;

// In the order they run: the quiet figures first, while the machine is as it was at the start.
const SECTIONS: Record<string, (results: Results) => Promise<void>> = {
  idle: idleDaemon,
  'first-answer': firstAnswerLatency,
  restart: restartLatency,
  'restart-loop': restartLoop,
  listener: listenerLatency,
  stop: stopTime,
  many: manyPrograms,
  load: rpcLoadMemory,
  'start-many': startManyPrograms,
  crowd: crowdedDaemon,
  capture: captureThroughput,
  readiness: readinessLatency,
};

setTimeout(() => {
  console.error(`compare: still running after ${DEADLINE_MS / 1000} s, giving up`);
  process.exit(1);
}, DEADLINE_MS).unref();

interface Arguments {
  /** Whether to rewrite docs/benchmarks.md (only ever after a run of every section). */
  write: boolean;
  /** The sections to run, in the order asked for. */
  only: string[];
}

function parseArguments(args: readonly string[]): Arguments {
  const write = !args.includes('--no-write');
  const onlyIndex = args.indexOf('--only');
  const unknown = args.filter((arg, i) => arg !== '--no-write' && arg !== '--only' && !(onlyIndex >= 0 && i === onlyIndex + 1));
  if (unknown.length > 0)
    throw new UsageError(`unknown arguments ${unknown.join(' ')}; usage: compare.js [--no-write] [--only section,...]`);
  const names = Object.keys(SECTIONS).join(', ');
  if (onlyIndex >= 0 && args[onlyIndex + 1] === undefined) throw new UsageError(`--only needs a list of sections (${names})`);
  const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : Object.keys(SECTIONS);
  for (const name of only) {
    if (!SECTIONS[name]) throw new UsageError(`unknown section ${name}; sections are ${names}`);
  }
  return { write, only };
}

async function main(): Promise<void> {
  const { write, only } = parseArguments(process.argv.slice(2));
  if (!fs.existsSync(OURS_DAEMON)) throw new SupervisorError('STARTUP', `${OURS_DAEMON} missing: run npm run build first`);
  if (!fs.existsSync(REFERENCE_DAEMON)) throw new SupervisorError('STARTUP', `${REFERENCE_DAEMON} missing: the reference is not installed`);
  const facts = [...machineFacts(), `- Environment: ${narrowEnvironment()}`];
  const results = new Results();
  const run = new RunLoad();
  for (const name of only) {
    run.sectionStarts(name);
    await SECTIONS[name]?.(results);
  }
  run.ends();
  console.log(`\n${facts.join('\n')}\n${run.facts().join('\n')}\n\n${results.table()}\n\n${results.series.join('\n\n')}\n`);
  if (write && only.length === Object.keys(SECTIONS).length) writeGeneratedSection(generatedSection(facts, results, run));
}

// Bad arguments and missing daemons: one line and exit status 2; a failed measurement: one line
// and 1 (SUPERVISOR_DEBUG=1 for its stack). Either way the exit handlers clean up.
runCommand({ name: 'compare' }, main);
