#!/usr/bin/env node
// memmon: an event listener that restarts supervisor processes whose RSS grows past a limit.
// Subscribe it to a TICK event; it reaches supervisord at SUPERVISOR_SERVER_URL (set by the
// daemon in every child's environment), with SUPERVISOR_USERNAME/PASSWORD if present.
import { runListener } from '../listener/index.js';
import { MEMMON_HELP, parseMemmonArgs } from '../listener/memmon/options.js';
import { checkProcesses, supervisorOverRpc } from '../listener/memmon/monitor.js';
import { processRss } from '../listener/memmon/rss.js';
import { sendMail } from '../listener/memmon/mail.js';
import { createXmlRpcClient } from '../common/xmlrpc/client.js';
import { runCommand } from '../common/command.js';
import { UsageError } from '../common/errors.js';

async function main(): Promise<number | void> {
  const options = parseMemmonArgs(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(MEMMON_HELP);
    return 0;
  }
  const serverurl = process.env['SUPERVISOR_SERVER_URL'];
  if (serverurl === undefined) throw new UsageError('SUPERVISOR_SERVER_URL is not set: run memmon as a supervisor event listener');

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
}

runCommand({ name: 'memmon', formatUsageError: (message) => `memmon: ${message}\n${MEMMON_HELP.trimEnd()}` }, main);
