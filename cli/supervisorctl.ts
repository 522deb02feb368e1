#!/usr/bin/env node
// supervisorctl: runs one action against supervisord and exits with its status, or, without an
// action, an interactive shell. Only what `supervisorctl status` needs is loaded up front.
import { parseCommandLine, resolveSettings, usageText, UsageError, type Settings } from './ctl/options.js';
import { Controller } from './ctl/controller.js';

async function main(argv: readonly string[]): Promise<number> {
  const progname = process.argv[1] ?? 'supervisorctl';
  let settings: Settings;
  try {
    const line = parseCommandLine(argv);
    if (line.help) {
      process.stdout.write(usageText(progname));
      return 0;
    }
    settings = await resolveSettings(line);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`Error: ${e.message}\nFor help, use ${progname} -h\n`);
    return 2;
  }
  const ctl = new Controller(settings, async () => (await import('./ctl/ask.js')).createAsker());
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`supervisorctl: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
