// The HTML of each page: a server-drawn frame (every name escaped here) that the page's script
// keeps current from the event streams.
import { IMPLEMENTATION } from '../../common/version.js';
import { processMachine } from '../../machines/process.js';
import { qualifiedName } from '../../actors/namespec.js';
import type { SupervisedProcess } from '../../actors/process.js';
import { DAEMON_TOKEN } from './cross-site-guard.js';
import { stateDiagramSvg } from './diagram-svg.js';
import { escapeHtml } from './escape-html.js';
import type { SupervisorView } from './process-view.js';

interface Frame {
  title: string;
  supervisor: SupervisorView;
  script: string;
  /** Another script of the page (the dashboard's remote tables). */
  extraScript?: string;
  main: string;
  bodyAttributes?: string;
}

function page({ title, supervisor, script, extraScript, main, bodyAttributes = '' }: Frame): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="supervisor-token" content="${escapeHtml(DAEMON_TOKEN)}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/web.css">
<script src="/assets/common.js" defer></script>
<script src="/assets/${script}.js" defer></script>
${extraScript ? `<script src="/assets/${extraScript}.js" defer></script>\n` : ''}</head>
<body${bodyAttributes}>
<header class="top">
<h1><a href="/" id="identification" title="identification">${escapeHtml(supervisor.identification)}</a></h1>
<div class="facts">
<span>Supervisor <b id="version">${escapeHtml(supervisor.version)}</b></span>
<span title="the daemon serving this page">${escapeHtml(IMPLEMENTATION.name)} <b id="implementation-version">${escapeHtml(IMPLEMENTATION.version)}</b></span>
<span>state <b id="daemon-state"><span class="state state-${escapeHtml(supervisor.state)}">${escapeHtml(supervisor.state)}</span></b></span>
<span>pid <b id="daemon-pid">${supervisor.pid}</b></span>
<span><a href="/log">daemon log</a></span>
</div>
<span id="connection" class="connection">connecting…</span>
</header>
<main>
<p id="notice" class="notice" role="status"></p>
${main}
</main>
</body>
</html>
`;
}

/** One card per [supervisorctl:NAME] daemon, filled in and kept current by remote.js. */
function remoteCards(hosts: readonly string[]): string {
  const card = (host: string) => `<section class="card remote" data-host="${escapeHtml(host)}">
<div class="toolbar">
<h2>${escapeHtml(host)}</h2>
<span class="host-status state state-UNKNOWN">connecting</span>
<span class="host-facts muted"></span>
<span class="spacer"></span>
<button type="button" data-host-action="restart-all" disabled>restart all</button>
<button type="button" data-host-action="stop-all" class="danger" disabled>stop all</button>
</div>
<p class="host-reason notice error" hidden></p>
<table class="processes">
<thead><tr><th>State</th><th>Name</th><th>Group</th><th>Description</th><th></th></tr></thead>
<tbody></tbody>
</table>
</section>`;
  return `\n<div id="remote-hosts">\n<h2 class="muted">Other daemons <span class="muted">([supervisorctl:NAME] sections, through this daemon)</span></h2>\n${hosts.map(card).join('\n')}\n</div>`;
}

/**
 * @param dependencies the dependency graph's SVG (ours), '' when there is none
 * @param hosts the names of the [supervisorctl:NAME] daemons shown below the local table
 */
export function dashboardPage(supervisor: SupervisorView, dependencies: string, hosts: readonly string[] = []): string {
  return page({
    title: `${supervisor.identification} — Supervisor status`,
    supervisor,
    script: 'dashboard',
    ...(hosts.length > 0 ? { extraScript: 'remote' } : {}),
    main: `<div class="toolbar">
<span class="muted">Every process of this daemon, live.</span>
<span class="spacer"></span>
<button type="button" id="restart-all">restart all</button>
<button type="button" id="stop-all" class="danger">stop all</button>
</div>
<table class="processes">
<thead><tr><th>State</th><th>Name</th><th>Group</th><th>Description</th><th></th></tr></thead>
<tbody id="processes"></tbody>
</table>
<p id="empty" class="empty" hidden>No processes are configured.</p>${hosts.length > 0 ? remoteCards(hosts) : ''}${
      dependencies
        ? `\n<section class="card">\n<h2>Dependencies <span class="muted">(an arrow points at what a program waits for; dashed: until it has completed)</span></h2>\n${dependencies}\n</section>`
        : ''
    }`,
  });
}

export type LogChannel = 'stdout' | 'stderr';

function logView(source: string, heading: string, tabs: string): string {
  return `<div class="toolbar">
<strong>${heading}</strong>
${tabs}
<span class="spacer"></span>
<label><input type="checkbox" id="follow" checked> follow</label>
<button type="button" id="clear-view">clear view</button>
</div>
<pre id="log" class="log" data-source="${escapeHtml(source)}"></pre>`;
}

export function processTailPage(supervisor: SupervisorView, process: SupervisedProcess, channel: LogChannel): string {
  const namespec = qualifiedName(process);
  const encoded = encodeURIComponent(namespec);
  const tab = (which: LogChannel) =>
    `<a class="button${which === channel ? ' current' : ''}" href="/tail/${escapeHtml(encoded)}?channel=${which}">${which}</a>`;
  return page({
    title: `${namespec} ${channel} — ${supervisor.identification}`,
    supervisor,
    script: 'tail',
    main: logView(
      `/log-events/process/${encoded}/${channel}`,
      `<a href="/process/${escapeHtml(encoded)}">${escapeHtml(namespec)}</a>`,
      `${tab('stdout')} ${tab('stderr')}`,
    ),
  });
}

export function mainLogPage(supervisor: SupervisorView): string {
  return page({
    title: `daemon log — ${supervisor.identification}`,
    supervisor,
    script: 'tail',
    main: logView('/log-events/main', 'supervisord log', ''),
  });
}

export function processPage(supervisor: SupervisorView, process: SupervisedProcess): string {
  const namespec = qualifiedName(process);
  const encoded = escapeHtml(encodeURIComponent(namespec));
  const { config } = process;
  return page({
    title: `${namespec} — ${supervisor.identification}`,
    supervisor,
    script: 'process',
    bodyAttributes: ` data-namespec="${escapeHtml(namespec)}"`,
    main: `<section class="card">
<h2>${escapeHtml(namespec)}</h2>
<div class="toolbar" id="actions">
<button type="button" data-action="start">start</button>
<button type="button" data-action="stop" class="danger">stop</button>
<button type="button" data-action="restart">restart</button>
<button type="button" data-action="clear">clear log</button>
<a class="button" href="/tail/${encoded}">tail</a>
</div>
<dl class="facts">
<dt>state</dt><dd id="process-state"><span class="state state-${escapeHtml(process.state)}">${escapeHtml(process.state)}</span></dd>
<dt>description</dt><dd id="process-description"></dd>
<dt>pid</dt><dd id="process-pid"></dd>
<dt>spawn error</dt><dd id="process-spawnerr"></dd>
<dt>restarts</dt><dd id="process-restarts"></dd>
${config.readiness ? `<dt>readiness</dt><dd><span id="process-readiness"></span> · ${escapeHtml(config.readiness.check.spec)}</dd>` : ''}
<dt>command</dt><dd>${escapeHtml(config.command)}</dd>
<dt>stdout log</dt><dd>${escapeHtml(process.logfiles.stdout ?? 'none')}</dd>
<dt>stderr log</dt><dd>${escapeHtml(process.logfiles.stderr ?? 'none')}</dd>
${config.dependsOn.length ? `<dt>depends on</dt><dd>${config.dependsOn.map((d) => escapeHtml(`${d.group}:${d.name}${d.completed ? ' (completed)' : ''}`)).join(', ')}</dd>` : ''}
</dl>
</section>
<section class="card">
<h2>Recent transitions</h2>
<table class="plain"><tbody id="history"></tbody></table>
</section>
<section class="card">
<h2>State machine <span class="muted">(drawn from the process machine's definition; current state highlighted)</span></h2>
${stateDiagramSvg(processMachine, process.state)}
</section>`,
  });
}
