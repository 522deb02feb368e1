// Browser code of the dashboard's [supervisorctl:NAME] cards: each host's table redrawn from
// /remote-events, its state (up, down, denied) shown, actions POSTed to /api/remote/* with the
// host's name (the local daemon forwards them; no remote credentials ever reach the page).
export const REMOTE_SCRIPT = `'use strict';
{
  const cards = new Map();
  for (const card of document.querySelectorAll('section.remote')) cards.set(card.dataset.host, { card, view: null, skew: 0 });

  function remoteRow(entry, view, firstOfGroup) {
    const running = RUNNING_STATES.includes(view.state);
    const button = (action, enabled, label) =>
      el('button', { type: 'button', 'data-action': action, 'data-name': view.namespec, disabled: !enabled, class: action === 'stop' ? 'danger' : null }, label);
    return el('tr', { 'data-name': view.namespec, class: firstOfGroup ? 'group-start' : null },
      el('td', { class: 'status' }, stateBadge(view.state)),
      el('td', { class: 'name' }, view.name),
      el('td', { class: 'group' }, view.group),
      el('td', { class: 'description' }, describe(view, entry.skew)),
      el('td', { class: 'actions' },
        button('start', !running && view.state !== 'UNKNOWN', 'start'), ' ',
        button('stop', running, 'stop'), ' ',
        button('restart', view.state !== 'UNKNOWN', 'restart'), ' ',
        button('clear', true, 'clear log')));
  }

  function showStatus(card, status) {
    const badge = card.querySelector('.host-status');
    badge.textContent = status;
    badge.className = 'host-status state host-' + status;
    card.dataset.status = status;
  }

  function drawHost(host) {
    const entry = cards.get(host.name);
    if (!entry) return;
    entry.view = host;
    entry.skew = host.now - Date.now();
    const { card } = entry;
    showStatus(card, host.status);
    const facts = host.supervisor
      ? host.supervisor.identification + ' \\u00b7 Supervisor ' + host.supervisor.version + ' \\u00b7 ' + host.supervisor.state +
        (host.via === 'polling' ? ' \\u00b7 asked every few seconds while this page is open' : ' \\u00b7 live')
      : '';
    card.querySelector('.host-facts').textContent = facts;
    const reason = card.querySelector('.host-reason');
    reason.textContent = host.reason || '';
    reason.hidden = !host.reason;
    for (const button of card.querySelectorAll('button[data-host-action]')) button.disabled = host.status !== 'up';
    const sorted = [...host.processes].sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
    card.querySelector('table').hidden = sorted.length === 0;
    card.querySelector('tbody').replaceChildren(...sorted.map((view, i) => remoteRow(entry, view, i > 0 && sorted[i - 1].group !== view.group)));
  }

  const remoteEvents = new EventSource('/remote-events');
  remoteEvents.addEventListener('host', (e) => drawHost(JSON.parse(e.data)));
  remoteEvents.addEventListener('error', () => {
    for (const { card } of cards.values()) showStatus(card, 'connecting');
  });

  setInterval(() => {
    for (const entry of cards.values()) {
      for (const tr of entry.card.querySelectorAll('tbody tr')) {
        const view = entry.view && entry.view.processes.find((p) => p.namespec === tr.dataset.name);
        if (view && view.state === 'RUNNING') tr.querySelector('td.description').textContent = describe(view, entry.skew);
      }
    }
  }, 1000);

  document.getElementById('remote-hosts').addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (!button) return;
    const host = button.closest('section.remote').dataset.host;
    const hostAction = button.dataset.hostAction;
    if (hostAction) {
      const verb = hostAction === 'stop-all' ? 'Stop' : 'Restart';
      if (confirm(verb + ' every process of ' + host + '?')) runAction(button, '/api/remote/' + hostAction, { host }, button.textContent + ' on ' + host);
      return;
    }
    if (button.dataset.action) {
      const name = button.dataset.name;
      runAction(button, '/api/remote/' + button.dataset.action, { host, name }, button.textContent + ' ' + host + ':' + name);
    }
  });
}
`;
