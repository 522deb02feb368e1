// Browser code of the log pages: follows a /log-events stream, appending its text as text nodes.
export const TAIL_SCRIPT = `'use strict';
const log = document.getElementById('log');
const follow = document.getElementById('follow');
/** The page keeps the last this many characters; older text is dropped from the top. */
const KEEP_CHARS = 2000000;
let kept = 0;

function append(node, length) {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.append(node);
  kept += length;
  while (kept > KEEP_CHARS && log.firstChild) {
    kept -= log.firstChild.textContent.length;
    log.firstChild.remove();
  }
  if (follow.checked && atBottom) log.scrollTop = log.scrollHeight;
}

function marker(text) {
  append(el('span', { class: 'marker' }, text + '\\n'), text.length + 1);
}

const events = new EventSource(log.dataset.source);
watchConnection(events);
events.addEventListener('reset', () => {
  log.replaceChildren();
  kept = 0;
  notify('', false);
});
events.addEventListener('text', (e) => {
  const text = JSON.parse(e.data);
  append(document.createTextNode(text), text.length);
});
events.addEventListener('truncated', () => marker('==> log truncated <=='));
events.addEventListener('missing', (e) => {
  const { file } = JSON.parse(e.data);
  notify(file ? 'No log file yet at ' + file + ': waiting for it.' : 'This log is not kept (logfile=NONE).', false);
});
follow.addEventListener('change', () => { if (follow.checked) log.scrollTop = log.scrollHeight; });
document.getElementById('clear-view').addEventListener('click', () => { log.replaceChildren(); kept = 0; });
`;
