// The daemon's metrics in the Prometheus text format (prom-client). Nothing is sampled in the
// background: each scrape takes one snapshot of the processes, the listener pools, /proc and
// the counters the actors and the HTTP servers keep, and every metric's collect() reads it.
// Loaded on the first GET /metrics only (metrics-routes.ts), so a daemon nobody scrapes never
// loads prom-client.
import { Counter, Gauge, Registry } from 'prom-client';
import type { DaemonState } from '../actors/daemon-state.js';
import type { OutputChannel } from '../config/types.js';
import { processUsage, type ProcessUsage } from '../actors/proc-stats.js';
import type { ProcessSnapshot } from '../actors/process.js';
import type { Supervisor } from '../actors/supervisor.js';
import { SUPERVISOR_VERSION } from '../common/version.js';
import { DAEMON_STATES, PROCESS_STATES, type ProcessStateName } from '../machines/states.js';
import type { RequestCount } from './http/request-counts.js';

/** Where a scrape reads from. */
export interface MetricsSources {
  supervisor: Supervisor;
  daemonState: DaemonState;
  /** [supervisord] identifier. */
  identifier: string;
  httpRequests(): RequestCount[];
}

interface ProcessSample {
  snapshot: ProcessSnapshot;
  /** Of the running child; null when there is none (or it just went). */
  usage: ProcessUsage | null;
  /** Per channel that has a log file. */
  logBytes: Array<{ channel: OutputChannel; bytes: number }>;
}

interface PoolSample {
  name: string;
  waiting: number;
  capacity: number;
  buffered: number;
  dropped: number;
}

interface Scrape {
  identifier: string;
  processes: ProcessSample[];
  pools: PoolSample[];
  requests: RequestCount[];
  daemonState: keyof typeof DAEMON_STATES;
  daemonUsage: ProcessUsage;
}

interface Sample {
  labels: Record<string, string>;
  value: number;
}

const STATE_NAMES = Object.keys(PROCESS_STATES) as ProcessStateName[];
const CHANNELS: readonly OutputChannel[] = ['stdout', 'stderr'];

function takeScrape(sources: MetricsSources): Scrape {
  const { supervisor } = sources;
  const processes = supervisor.processes().map((supervised): ProcessSample => {
    const snapshot = supervised.snapshot();
    return {
      snapshot,
      usage: snapshot.pid ? processUsage(snapshot.pid) : null,
      logBytes: CHANNELS.filter((channel) => supervised.logfiles[channel] !== null).map((channel) => ({
        channel,
        bytes: supervised.logs.bytesWritten(channel),
      })),
    };
  });
  const cpu = process.cpuUsage();
  return {
    identifier: sources.identifier,
    processes,
    pools: supervisor.listenerPools().map((pool) => ({
      name: pool.name,
      waiting: pool.waiting,
      capacity: pool.capacity,
      buffered: pool.buffered,
      dropped: pool.discarded,
    })),
    requests: sources.httpRequests(),
    daemonState: sources.daemonState.state,
    daemonUsage: { residentBytes: process.memoryUsage.rss(), cpuSeconds: (cpu.user + cpu.system) / 1e6 },
  };
}

const ofProcess = ({ snapshot }: ProcessSample, extra: Record<string, string> = {}) => ({
  group: snapshot.group,
  name: snapshot.name,
  ...extra,
});

/** One sample per process for which `value` has one. */
const perProcess =
  (value: (sample: ProcessSample) => number | null) =>
  (scrape: Scrape): Sample[] =>
    scrape.processes.flatMap((sample) => {
      const measured = value(sample);
      return measured === null ? [] : [{ labels: ofProcess(sample), value: measured }];
    });

const perPool =
  (value: (pool: PoolSample) => number) =>
  (scrape: Scrape): Sample[] =>
    scrape.pools.map((pool) => ({ labels: { group: pool.name }, value: value(pool) }));

const single =
  (value: (scrape: Scrape) => number) =>
  (scrape: Scrape): Sample[] => [{ labels: {}, value: value(scrape) }];

interface MetricDefinition {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  labels: string[];
  samples: (scrape: Scrape) => Sample[];
}

const PROCESS = ['group', 'name'];

const METRICS: MetricDefinition[] = [
  {
    name: 'supervisor_process_state',
    type: 'gauge',
    help: 'State of the process as getProcessInfo codes it: 0 STOPPED, 10 STARTING, 20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN.',
    labels: PROCESS,
    samples: perProcess(({ snapshot }) => PROCESS_STATES[snapshot.state]),
  },
  {
    name: 'supervisor_process_in_state',
    type: 'gauge',
    help: 'Whether the process is in the state of the label: 1 for its state, 0 for the seven others.',
    labels: [...PROCESS, 'state'],
    samples: (scrape) =>
      scrape.processes.flatMap((sample) =>
        STATE_NAMES.map((state) => ({ labels: ofProcess(sample, { state }), value: sample.snapshot.state === state ? 1 : 0 })),
      ),
  },
  {
    name: 'supervisor_process_up',
    type: 'gauge',
    help: 'Whether the process is RUNNING (started, and ready when it has a readiness check).',
    labels: PROCESS,
    samples: perProcess(({ snapshot }) => (snapshot.state === 'RUNNING' ? 1 : 0)),
  },
  {
    name: 'supervisor_process_start_time_seconds',
    type: 'gauge',
    help: 'When the process was last started, in seconds since the epoch (absent before its first start).',
    labels: PROCESS,
    samples: perProcess(({ snapshot }) => (snapshot.laststart ? snapshot.laststart / 1000 : null)),
  },
  {
    name: 'supervisor_process_restarts_total',
    type: 'counter',
    help: 'Starts of the process after the first, since the daemon started it.',
    labels: PROCESS,
    samples: perProcess(({ snapshot }) => snapshot.restarts),
  },
  {
    name: 'supervisor_process_exit_code',
    type: 'gauge',
    help: 'Exit code of the last child that exited, -1 when a signal killed it (absent before the first exit).',
    labels: PROCESS,
    samples: perProcess(({ snapshot }) => snapshot.lastExitCode),
  },
  {
    name: 'supervisor_process_resident_memory_bytes',
    type: 'gauge',
    help: 'Resident memory of the running child itself, from /proc (absent when none runs).',
    labels: PROCESS,
    samples: perProcess(({ usage }) => usage?.residentBytes ?? null),
  },
  {
    name: 'supervisor_process_cpu_seconds_total',
    type: 'counter',
    help: 'User and system CPU time of the running child itself, from /proc (absent when none runs; starts again with each child).',
    labels: PROCESS,
    samples: perProcess(({ usage }) => usage?.cpuSeconds ?? null),
  },
  {
    name: 'supervisor_process_log_bytes_written_total',
    type: 'counter',
    help: 'Bytes of child output written to the log file of the channel (channels without a log file have no series).',
    labels: [...PROCESS, 'channel'],
    samples: (scrape) =>
      scrape.processes.flatMap((sample) =>
        sample.logBytes.map(({ channel, bytes }) => ({ labels: ofProcess(sample, { channel }), value: bytes })),
      ),
  },
  {
    name: 'supervisor_listener_pool_events_waiting',
    type: 'gauge',
    help: "Events in the event listener pool's buffer, waiting for a listener.",
    labels: ['group'],
    samples: perPool((pool) => pool.waiting),
  },
  {
    name: 'supervisor_listener_pool_buffer_size',
    type: 'gauge',
    help: "How many events the pool's buffer holds at most (buffer_size).",
    labels: ['group'],
    samples: perPool((pool) => pool.capacity),
  },
  {
    name: 'supervisor_listener_pool_events_buffered_total',
    type: 'counter',
    help: "Events taken into the pool's buffer.",
    labels: ['group'],
    samples: perPool((pool) => pool.buffered),
  },
  {
    name: 'supervisor_listener_pool_events_dropped_total',
    type: 'counter',
    help: "Events dropped because the pool's buffer was full.",
    labels: ['group'],
    samples: perPool((pool) => pool.dropped),
  },
  {
    name: 'supervisor_info',
    type: 'gauge',
    help: 'Always 1; the labels name the daemon ([supervisord] identifier) and the Supervisor version it implements.',
    labels: ['identifier', 'version'],
    samples: (scrape) => [{ labels: { identifier: scrape.identifier, version: SUPERVISOR_VERSION }, value: 1 }],
  },
  {
    name: 'supervisor_daemon_state',
    type: 'gauge',
    help: "State of supervisord as getState's code: 1 RUNNING, 0 RESTARTING, -1 SHUTDOWN.",
    labels: [],
    samples: single((scrape) => DAEMON_STATES[scrape.daemonState]),
  },
  {
    name: 'supervisor_daemon_start_time_seconds',
    type: 'gauge',
    help: 'When the supervisord process started, in seconds since the epoch.',
    labels: [],
    samples: single(() => performance.timeOrigin / 1000),
  },
  {
    name: 'supervisor_daemon_uptime_seconds',
    type: 'gauge',
    help: 'Seconds since the supervisord process started.',
    labels: [],
    samples: single(() => process.uptime()),
  },
  {
    name: 'supervisor_daemon_resident_memory_bytes',
    type: 'gauge',
    help: 'Resident memory of the supervisord process.',
    labels: [],
    samples: single((scrape) => scrape.daemonUsage.residentBytes),
  },
  {
    name: 'supervisor_daemon_cpu_seconds_total',
    type: 'counter',
    help: 'User and system CPU time of the supervisord process.',
    labels: [],
    samples: single((scrape) => scrape.daemonUsage.cpuSeconds),
  },
  {
    name: 'supervisor_http_requests_total',
    type: 'counter',
    help: 'HTTP requests answered, by server section, method and status code, since the daemon started or last reloaded.',
    labels: ['server', 'method', 'code'],
    samples: (scrape) =>
      scrape.requests.map(({ server, method, status, count }) => ({ labels: { server, method, code: String(status) }, value: count })),
  },
];

export class DaemonMetrics {
  private readonly registry = new Registry();
  private scrape: Scrape | null = null;

  constructor(private readonly sources: MetricsSources) {
    for (const definition of METRICS) this.register(definition);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text of one scrape. */
  render(): Promise<string> {
    // Every collect() runs within this call, all reading this one snapshot.
    this.scrape = takeScrape(this.sources);
    return this.registry.metrics();
  }

  private current(): Scrape {
    this.scrape ??= takeScrape(this.sources);
    return this.scrape;
  }

  private register({ name, type, help, labels, samples }: MetricDefinition): void {
    const current = () => samples(this.current());
    const configuration = { name, help, labelNames: labels, registers: [this.registry] };
    if (type === 'gauge') {
      new Gauge({
        ...configuration,
        collect() {
          this.reset();
          for (const sample of current()) this.set(sample.labels, sample.value);
        },
      });
    } else {
      new Counter({
        ...configuration,
        collect() {
          this.reset();
          for (const sample of current()) this.inc(sample.labels, sample.value);
        },
      });
    }
  }
}
