// Browser code of a process's page: its facts and the highlighted state of its diagram, kept
// current from /events, and its recent transitions, newest first.
export const PROCESS_SCRIPT = `'use strict';
const namespec = document.body.dataset.namespec;
const history = document.getElementById('history');
let skew = 0;
let current = null;

function showFacts(view) {
  current = view;
  document.getElementById('process-state').replaceChildren(stateBadge(view.state));
  document.getElementById('process-description').textContent = describe(view, skew);
  document.getElementById('process-pid').textContent = view.pid ? String(view.pid) : '\\u2014';
  document.getElementById('process-spawnerr').textContent = view.spawnerr || '\\u2014';
  document.getElementById('process-restarts').textContent = String(view.restarts);
  const readiness = document.getElementById('process-readiness');
  if (readiness) readiness.textContent = view.readiness || '';
  for (const box of document.querySelectorAll('.diagram .state')) {
    box.classList.toggle('current', box.dataset.state === view.state);
  }
  const running = RUNNING_STATES.includes(view.state);
  document.querySelector('button[data-action="start"]').disabled = running || view.state === 'UNKNOWN';
  document.querySelector('button[data-action="stop"]').disabled = !running;
}

function transitionRow(t) {
  return el('tr', null,
    el('td', null, new Date(t.at).toLocaleTimeString()),
    el('td', null, stateBadge(t.from)), el('td', null, '\\u2192'), el('td', null, stateBadge(t.to)),
    el('td', { class: 'muted' }, t.cause));
}

function markRecent(t) {
  for (const arrow of document.querySelectorAll('.diagram .transition')) {
    arrow.classList.toggle('recent', !!t && arrow.dataset.from === t.from && arrow.dataset.to === t.to);
  }
}

const events = new EventSource('/events?history=1');
watchConnection(events);
events.addEventListener('snapshot', (e) => {
  const snapshot = JSON.parse(e.data);
  skew = snapshot.now - Date.now();
  const view = snapshot.processes.find((p) => p.namespec === namespec);
  if (!view) {
    notify('No process ' + namespec + ' in this configuration.', true);
    return;
  }
  showFacts(view);
  history.replaceChildren(...view.history.slice().reverse().map(transitionRow));
  markRecent(view.history[view.history.length - 1]);
});
events.addEventListener('process', (e) => {
  const change = JSON.parse(e.data);
  if (change.process.namespec !== namespec) return;
  skew = change.now - Date.now();
  showFacts(change.process);
  history.prepend(transitionRow(change.transition));
  while (history.children.length > 20) history.lastChild.remove();
  markRecent(change.transition);
});
setInterval(() => { if (current && current.state === 'RUNNING') document.getElementById('process-description').textContent = describe(current, skew); }, 1000);

document.getElementById('actions').addEventListener('click', async (e) => {
  const button = e.target.closest('button[data-action]');
  if (!button) return;
  button.disabled = true;
  try {
    await act('/api/' + button.dataset.action, { name: namespec });
    notify(button.textContent + ': done', false);
  } catch (error) {
    notify(error.message, true);
  } finally {
    if (current) showFacts(current);
    if (button.dataset.action !== 'start' && button.dataset.action !== 'stop') button.disabled = false;
  }
});
`;
