// Our supervisorctl next to the real Python one, on the same daemon, for commands that change
// nothing: stdout and exit code must be the same (uptimes normalized). Help texts are ours and
// are left out. Skipped where the reference client is not installed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runProcess } from '../harness/run-process.js';
import { SUPERVISORCTL } from '../harness/python-ctl.js';
import { waitForState } from '../harness/rpc.js';
import { OUR_CTL, normalizeUptimes, ourCtl, withCtlDaemon } from '../harness/ctl.js';

const PROGRAMS = `
[program:sleeper]
command=sleep 1000
startsecs=0
[program:echo]
command=sh -c 'printf 0123456789abcdefghij; printf ERR >&2; exec sleep 1000'
startsecs=0
[program:cat]
command=cat
autostart=false
[group:g]
programs=ga,gb
[program:ga]
command=sleep 1000
startsecs=0
[program:gb]
command=sleep 1000
autostart=false
`;

const COMMANDS: string[][] = [
  ['status'],
  ['status', 'sleeper'],
  ['status', 'g:*'],
  ['status', 'nope'],
  ['status', 'nope:*'],
  ['status', 'sleeper', 'nope', 'g:ga'],
  ['status', 'all'],
  ['start', 'sleeper'],
  ['start', 'nope'],
  ['start', 'nope:*'],
  ['start', 'g:ga'],
  ['stop', 'nope'],
  ['stop', 'nope:*'],
  ['stop', 'cat'],
  ['tail', 'echo'],
  ['tail', 'echo', 'stderr'],
  ['tail', '-5', 'echo'],
  ['tail', '-100', 'echo', 'stdout'],
  ['tail', 'nope'],
  ['tail', 'echo', 'bogus'],
  ['tail', '-x', 'echo'],
  ['tail', '-f'],
  ['avail'],
  ['signal', 'BOGUS', 'sleeper'],
  ['signal', 'HUP', 'cat'],
  ['signal', 'HUP', 'nope'],
  ['signal', 'HUP', 'nope:*'],
  ['pid', 'nope'],
  ['pid', 'cat'],
  ['pid', 'g:*'],
  ['reread'],
  ['clear', 'nope'],
  ['clear', 'g:*'],
  ['add', 'nope'],
  ['add', 'sleeper'],
  ['remove', 'nope'],
  ['remove', 'sleeper'],
  ['update', 'nope'],
  ['version'],
  ['help', 'foo'],
  ['help', 'EOF'],
  ['foo', 'bar'],
  ['quit'],
  ['fg', 'nope'],
  ['fg', 'cat'],
  ['fg', 'a', 'b'],
  ['open', 'foo'],
  ['maintail', 'x'],
];

const USAGE_ERRORS: string[][] = [
  ['-z'],
  ['-c'],
  ['-s', 'foo', 'status'],
  ['-s', 'http://a', '-s', 'http://b', 'x'],
  ['-c', '/nonexistent.conf', 'x'],
];

describe(
  'supervisorctl next to the reference client',
  { timeout: 300_000, skip: !existsSync(SUPERVISORCTL) && 'reference supervisorctl not installed' },
  () => {
    it('same stdout and exit code for commands that change nothing', async () => {
      await withCtlDaemon(PROGRAMS, {}, async (a) => {
        for (const name of ['sleeper', 'echo', 'g:ga']) await waitForState(a.unix, name, ['RUNNING']);
        for (const args of COMMANDS) {
          const theirs = await runProcess(SUPERVISORCTL, ['-c', a.d.configPath, ...args]);
          const ours = await a.ctl(...args);
          const what = `supervisorctl ${args.join(' ')}`;
          assert.equal(normalizeUptimes(ours.stdout), normalizeUptimes(theirs.stdout), what);
          assert.equal(ours.code, theirs.code, what);
        }
      });
    });

    it('same usage errors on stderr, exit 2', async () => {
      for (const args of USAGE_ERRORS) {
        const theirs = await runProcess(SUPERVISORCTL, args);
        const ours = await ourCtl(args);
        assert.equal(ours.stderr.split(OUR_CTL).join('<prog>'), theirs.stderr.split(SUPERVISORCTL).join('<prog>'), args.join(' '));
        assert.equal(ours.code, theirs.code, args.join(' '));
      }
    });
  },
);
