// Browser code shared by every page: the request token, POSTing actions, the connection badge,
// building elements (text always goes in as text nodes, never as markup) and live descriptions.
import { RUNNING_STATES } from '../../../machines/states.js';
import { formatUptime } from '../../process-description.js';

// The page words uptimes exactly as the daemon does (the very same function, sent as its source)
// and knows the states by the daemon's own definitions.
export const COMMON_SCRIPT = `'use strict';
const TOKEN = document.querySelector('meta[name="supervisor-token"]').content;
const RUNNING_STATES = ${JSON.stringify(RUNNING_STATES)};
${formatUptime.toString()}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

async function act(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Supervisor-Token': TOKEN },
    body: JSON.stringify(body || {}),
    credentials: 'same-origin',
  });
  const answer = await response.json().catch(() => ({ ok: false, error: response.status + ' ' + response.statusText }));
  if (!answer.ok) throw new Error(answer.error);
}

/** POSTs an action for a button, which stays disabled meanwhile; the notice says how it went. */
async function runAction(button, path, body, done) {
  button.disabled = true;
  notify(done + '\\u2026', false);
  try {
    await act(path, body);
    notify(done + ': done', false);
  } catch (error) {
    notify(error.message, true);
  } finally {
    button.disabled = false;
  }
}

/** The description as supervisorctl status words it, its uptime counted on from the start time. */
function describe(view, skew) {
  let text = view.state === 'RUNNING' && view.start
    ? 'pid ' + view.pid + ', uptime ' + formatUptime((Date.now() + skew - view.start) / 1000)
    : view.description;
  if (['EXITED', 'STOPPED', 'BACKOFF', 'FATAL'].includes(view.state) && view.start && view.exitstatus !== null) {
    text += (text ? ' \\u00b7 ' : '') + 'exit status ' + view.exitstatus;
  }
  return text;
}

function stateBadge(state) {
  return el('span', { class: 'state state-' + state, 'data-state': state }, state);
}

/** Shows whether the event stream is connected; EventSource reconnects by itself. */
function watchConnection(source) {
  const badge = document.getElementById('connection');
  const show = (text, kind) => { badge.textContent = text; badge.className = 'connection ' + kind; };
  source.addEventListener('open', () => show('live', 'live'));
  source.addEventListener('error', () => show('reconnecting\\u2026', 'lost'));
}

function notify(text, isError) {
  const notice = document.getElementById('notice');
  notice.textContent = text;
  notice.className = 'notice' + (isError ? ' error' : '');
}

const pathFor = (prefix, namespec) => prefix + encodeURIComponent(namespec);
`;
