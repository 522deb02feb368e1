#!/usr/bin/env node
// memmon: an event listener that restarts supervisor processes whose RSS grows past a limit.
// Subscribe it to a TICK event; it reaches supervisord at SUPERVISOR_SERVER_URL (set by the
// daemon in every child's environment), with SUPERVISOR_USERNAME/PASSWORD if present.
import { runListener } from '../listener/index.js';
import { MEMMON_HELP, MemmonUsageError, parseMemmonArgs } from '../listener/memmon/options.js';
import { checkProcesses, supervisorOverRpc } from '../listener/memmon/monitor.js';
import { processRss } from '../listener/memmon/rss.js';
import { sendMail } from '../listener/memmon/mail.js';
import { createXmlRpcClient } from '../rpc/xmlrpc/client.js';

function fail(message: string): never {
  process.stderr.write(`memmon: ${message}\n${MEMMON_HELP}`);
  process.exit(1);
}

let parsed: ReturnType<typeof parseMemmonArgs>;
try {
  parsed = parseMemmonArgs(process.argv.slice(2));
} catch (err) {
  if (err instanceof MemmonUsageError) fail(err.message);
  throw err;
}
if (parsed === 'help') {
  process.stdout.write(MEMMON_HELP);
  process.exit(0);
}
const options = parsed;

const serverurl = process.env['SUPERVISOR_SERVER_URL'];
if (serverurl === undefined) fail('SUPERVISOR_SERVER_URL is not set: run memmon as a supervisor event listener');

const client = createXmlRpcClient({
  serverurl,
  username: process.env['SUPERVISOR_USERNAME'] ?? '',
  password: process.env['SUPERVISOR_PASSWORD'] ?? '',
});
const label = options.name === undefined ? 'memmon' : `memmon [${options.name}]`;
const deps = {
  rss: processRss,
  sendMail: (mail: Parameters<typeof sendMail>[1]) => sendMail(options.sendmail, mail),
  log: (line: string) => process.stderr.write(`${label}: ${line}\n`),
};

await runListener(async (event) => {
  if (event.eventName.startsWith('TICK')) await checkProcesses(options, supervisorOverRpc(client), deps);
});
client.close();
