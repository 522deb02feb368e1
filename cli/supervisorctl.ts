#!/usr/bin/env node
// supervisorctl: runs one action against supervisord and exits with its status, or, without an
// action, an interactive shell. Only what `supervisorctl status` needs is loaded up front.
import { runCommand } from '../common/command.js';
import { parseCommandLine, resolveSettings, usageText } from './ctl/options.js';
import { Supervisorctl } from './ctl/controller.js';

const progname = process.argv[1] ?? 'supervisorctl';

async function main(): Promise<number> {
  const line = parseCommandLine(process.argv.slice(2));
  if (line.help) {
    process.stdout.write(usageText(progname));
    return 0;
  }
  const settings = await resolveSettings(line);
  const ctl = new Supervisorctl(settings, async () => (await import('./ctl/ask.js')).createAsker());
  try {
    if (settings.args.length > 0) {
      await ctl.runLine(settings.args.join(' '));
      return ctl.exitStatus;
    }
    const { runShell } = await import('./ctl/shell.js');
    await runShell(ctl, settings);
    return 0;
  } finally {
    ctl.close();
  }
}

runCommand({ name: 'supervisorctl', formatUsageError: (message) => `Error: ${message}\nFor help, use ${progname} -h` }, main);
