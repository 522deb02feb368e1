// The commands' help texts come from their option tables: every option with help text is listed
// with its value's name, aliases without help are not, and long texts wrap in their column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optionsHelp } from '../../common/getopt.js';
import { supervisordHelp } from '../../cli/supervisord-options.js';
import { usageText } from '../../cli/ctl/options.js';
import { MEMMON_HELP } from '../../listener/memmon/options.js';

test('optionsHelp: a column of names and value names, the help beside them, wrapped in its column', () => {
  const help = optionsHelp([
    { short: 'c', long: 'configuration', takesValue: true, metavar: 'FILE', help: 'the file to read' },
    { short: '?', long: null, takesValue: false },
    { short: null, long: 'quiet', takesValue: false, help: 'say less' },
    { short: 'x', long: null, takesValue: true, metavar: 'N', help: `${'word '.repeat(20)}end` },
  ]);
  assert.equal(
    help,
    [
      '  -c/--configuration FILE  the file to read',
      '  --quiet                  say less',
      '  -x N                     word word word word word word word word word word',
      '                           word word word word word word word word word word',
      '                           end',
      '',
    ].join('\n'),
  );
});

test('each command lists its options', () => {
  for (const line of ['-c/--configuration FILENAME', '-n/--nodaemon ', '--minprocs NUM', '-t/--strip_ansi ']) {
    assert.ok(supervisordHelp().includes(`\n  ${line}`), line);
  }
  assert.ok(!supervisordHelp().includes('-?'));
  const ctl = usageText('supervisorctl');
  for (const line of ['-c/--configuration FILE', '-s/--serverurl URL', '-r/--history_file FILE'])
    assert.ok(ctl.includes(`\n  ${line}`), line);
  assert.match(ctl, /\(default: http:\/\/localhost:9001\)/);
  for (const line of ['-p/--program NAME=SIZE', '-u/--uptime SECONDS', '-c/--cumulative '])
    assert.ok(MEMMON_HELP.includes(`\n  ${line}`), line);
});
