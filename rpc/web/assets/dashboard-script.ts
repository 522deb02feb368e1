// Browser code of the status page: the table drawn from /events snapshots, one row redrawn per
// state change, uptimes ticking locally, actions POSTed.
export const DASHBOARD_SCRIPT = `'use strict';
const table = document.getElementById('processes');
const rows = new Map();
let skew = 0;

function actionButton(action, view, enabled, label) {
  return el('button', { type: 'button', 'data-action': action, 'data-name': view.namespec, disabled: !enabled, class: action === 'stop' ? 'danger' : null }, label);
}

function row(view, firstOfGroup) {
  const running = RUNNING_STATES.includes(view.state);
  const tail = el('a', { class: 'button', href: pathFor('/tail/', view.namespec) }, 'tail');
  const tr = el('tr', { 'data-name': view.namespec, class: firstOfGroup ? 'group-start' : null },
    el('td', { class: 'status' }, stateBadge(view.state)),
    el('td', { class: 'name' }, el('a', { href: pathFor('/process/', view.namespec), title: 'state diagram and transitions' }, view.name)),
    el('td', { class: 'group' }, view.group),
    el('td', { class: 'description' }, describe(view, skew)),
    el('td', { class: 'actions' },
      actionButton('start', view, !running && view.state !== 'UNKNOWN', 'start'), ' ',
      actionButton('stop', view, running, 'stop'), ' ',
      actionButton('restart', view, view.state !== 'UNKNOWN', 'restart'), ' ',
      actionButton('clear', view, true, 'clear log'), ' ', tail));
  return tr;
}

function showSupervisor(supervisor, now) {
  skew = now - Date.now();
  document.getElementById('identification').textContent = supervisor.identification;
  document.getElementById('version').textContent = supervisor.version;
  document.getElementById('daemon-pid').textContent = String(supervisor.pid);
  document.getElementById('daemon-state').replaceChildren(stateBadge(supervisor.state));
}

function drawAll(snapshot) {
  showSupervisor(snapshot.supervisor, snapshot.now);
  rows.clear();
  const sorted = [...snapshot.processes].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
  const trs = sorted.map((view, i) => {
    const tr = row(view, i > 0 && sorted[i - 1].group !== view.group);
    rows.set(view.namespec, { tr, view });
    return tr;
  });
  table.replaceChildren(...trs);
  document.getElementById('empty').hidden = trs.length > 0;
}

function drawOne(view) {
  const known = rows.get(view.namespec);
  if (!known) return;
  const tr = row(view, known.tr.classList.contains('group-start'));
  known.tr.replaceWith(tr);
  rows.set(view.namespec, { tr, view });
  for (const node of document.querySelectorAll('.dep-node')) {
    if (node.dataset.name === view.namespec) node.setAttribute('class', 'dep-node state-' + view.state);
  }
}

const events = new EventSource('/events');
watchConnection(events);
events.addEventListener('snapshot', (e) => drawAll(JSON.parse(e.data)));
events.addEventListener('process', (e) => {
  const change = JSON.parse(e.data);
  showSupervisor(change.supervisor, change.now);
  drawOne(change.process);
});

// Uptimes tick here; nothing is fetched for it.
setInterval(() => {
  for (const { tr, view } of rows.values()) {
    if (view.state === 'RUNNING') tr.querySelector('td.description').textContent = describe(view, skew);
  }
}, 1000);

table.addEventListener('click', (e) => {
  const button = e.target.closest('button[data-action]');
  if (!button) return;
  const name = button.dataset.name;
  runAction(button, '/api/' + button.dataset.action, { name }, button.textContent + ' ' + name);
});
document.getElementById('restart-all').addEventListener('click', (e) => {
  if (confirm('Restart every process?')) runAction(e.currentTarget, '/api/restart-all', {}, 'restart all');
});
document.getElementById('stop-all').addEventListener('click', (e) => {
  if (confirm('Stop every process?')) runAction(e.currentTarget, '/api/stop-all', {}, 'stop all');
});
`;
