// The stylesheet of every page.
export const STYLES = `
:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --bg: #f6f8fa; --accent: #0969da;
  --running: #1a7f37; --starting: #9a6700; --stopped: #6e7781; --fatal: #cf222e; --exited: #8250df; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #fff; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 24px; padding: 12px 24px; background: #24292f; color: #fff; }
header.top h1 { margin: 0; font-size: 18px; font-weight: 600; }
header.top a { color: #fff; }
header.top .facts { display: flex; gap: 16px; color: #d0d7de; font-size: 13px; }
header.top .facts b { color: #fff; font-weight: 600; }
.connection { margin-left: auto; font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #57606a; }
.connection.live { background: var(--running); }
.connection.lost { background: var(--fatal); }
main { padding: 16px 24px; }
.toolbar { display: flex; align-items: center; gap: 8px; margin-bottom: 12px; flex-wrap: wrap; }
.toolbar .spacer { flex: 1; }
button { font: inherit; font-size: 13px; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); cursor: pointer; }
button:hover:not(:disabled) { background: #eaeef2; }
button:disabled { opacity: .45; cursor: default; }
button.danger { color: var(--fatal); }
a.button { display: inline-block; font-size: 13px; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); text-decoration: none; }
a.button.current { background: #24292f; color: #fff; border-color: #24292f; }
table.processes { width: 100%; border-collapse: collapse; }
table.processes th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 2px solid var(--line); padding: 6px 10px; }
table.processes td { border-bottom: 1px solid var(--line); padding: 8px 10px; vertical-align: middle; }
table.processes tr.group-start td { border-top: 2px solid var(--line); }
td.name a { font-weight: 600; color: var(--fg); text-decoration: none; }
td.name a:hover { text-decoration: underline; }
td.group { color: var(--muted); }
td.description { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
td.actions { white-space: nowrap; text-align: right; }
td.actions button, td.actions a.button { padding: 2px 8px; font-size: 12px; }
.state { display: inline-block; min-width: 84px; text-align: center; font-size: 11.5px; font-weight: 700; letter-spacing: .03em; padding: 2px 8px; border-radius: 10px; color: #fff; background: var(--stopped); }
.state-RUNNING { background: var(--running); }
.state-STARTING, .state-BACKOFF, .state-STOPPING { background: var(--starting); }
.state-EXITED { background: var(--exited); }
.state-FATAL, .state-UNKNOWN { background: var(--fatal); }
.state-SHUTDOWN, .state-RESTARTING { background: var(--starting); }
#remote-hosts { margin-top: 24px; }
section.remote .toolbar h2 { margin: 0; }
.host-up { background: var(--running); }
.host-down, .host-denied, .host-error { background: var(--fatal); }
.notice { min-height: 1.4em; margin: 0 0 8px; font-size: 13px; white-space: pre-wrap; }
.notice.error { color: var(--fatal); }
.empty { color: var(--muted); padding: 24px 0; }
pre.log { margin: 0; padding: 12px; height: calc(100vh - 170px); overflow: auto; background: #0d1117; color: #e6edf3; font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; word-break: break-all; border-radius: 6px; }
pre.log .marker { color: #d29922; }
.muted { color: var(--muted); }
section.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; overflow-x: auto; }
section.card h2 { margin: 0 0 8px; font-size: 15px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
table.plain { border-collapse: collapse; font-size: 13px; }
table.plain td, table.plain th { padding: 3px 12px 3px 0; text-align: left; border-bottom: 1px solid #eaeef2; }
table.plain th { color: var(--muted); font-weight: 600; }
.diagram .box { fill: #fff; stroke: #57606a; stroke-width: 1.5; }
.diagram .current .box { fill: #dafbe1; stroke: var(--running); stroke-width: 3; }
.diagram .inner { fill: #f6f8fa; stroke: #afb8c1; }
.diagram text { font: 12px system-ui, sans-serif; fill: var(--fg); }
.diagram .name { font-weight: 700; font-size: 14px; }
.diagram .entry { font-size: 10px; fill: var(--muted); }
.diagram .arrow { fill: none; stroke: #6e7781; stroke-width: 1.3; }
.diagram marker path { fill: #6e7781; }
.diagram .label { font-size: 11px; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.diagram .transition.recent .arrow { stroke: var(--accent); stroke-width: 2.5; }
.dependencies .arrow.completed { stroke-dasharray: 5 4; }
.dependencies .state-RUNNING .box { fill: #dafbe1; stroke: var(--running); }
.dependencies .state-STARTING .box, .dependencies .state-BACKOFF .box, .dependencies .state-STOPPING .box { fill: #fff8c5; stroke: var(--starting); }
.dependencies .state-FATAL .box, .dependencies .state-UNKNOWN .box { fill: #ffebe9; stroke: var(--fatal); }
`;
