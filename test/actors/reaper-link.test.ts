// The daemon's side of the orphan reaper: whose variable counts, the report pipe's lines and its
// end, wait statuses in the reference's words, and the environment Perl gets. The reaper itself
// runs in test/e2e/pid1-orphans.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { describeWaitStatus, takeReaperLink } from '../../actors/reaper-link.js';
import { REAPER_VARIABLE, reaperEnvironment } from '../../actors/orphan-reaper.js';

test('wait statuses read as the reference words them', () => {
  assert.equal(describeWaitStatus(0), 'exit status 0');
  assert.equal(describeWaitStatus(3 << 8), 'exit status 3');
  assert.equal(describeWaitStatus(9), 'terminated by SIGKILL');
  assert.equal(describeWaitStatus(0x80 | 6), 'terminated by SIGABRT (core dumped)');
});

test('the variable is removed; one naming another parent, or no pipe, is no link', () => {
  const env: NodeJS.ProcessEnv = { [REAPER_VARIABLE]: `${process.ppid + 1}:0` };
  assert.equal(takeReaperLink(env), null);
  assert.equal(env[REAPER_VARIABLE], undefined);
  assert.equal(takeReaperLink({ [REAPER_VARIABLE]: 'nonsense' }), null);
  assert.equal(takeReaperLink({}), null);
  // Our parent's pid, but fd 0 of a test run is no pipe from a reaper.
  assert.equal(takeReaperLink({ [REAPER_VARIABLE]: `${process.ppid}:987` }), null);
});

test('a linked daemon hears of each reaped orphan, then of the end of the pipe', async () => {
  // This process plays the reaper: the child's parent, writing reports on the child's fd 3.
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { takeReaperLink } = await import(${JSON.stringify(new URL('../../actors/reaper-link.js', import.meta.url).href)});
       const link = takeReaperLink();
       if (!link) { console.log('no link'); process.exit(1); }
       console.log('linked', link.pid === process.ppid, process.env.${REAPER_VARIABLE} === undefined);
       // The link keeps nothing alive (the daemon's own work does): this timer stands in for it.
       const running = setInterval(() => {}, 1000);
       link.watch((pid, how) => console.log('reaped', pid, how), () => { console.log('gone'); clearInterval(running); });`,
    ],
    { env: { ...process.env, [REAPER_VARIABLE]: `${process.pid}:3` }, stdio: ['ignore', 'pipe', 'inherit', 'pipe'] },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  const reports = child.stdio[3] as Writable;
  // A socket pair here, not a pipe: its other end resets it when the child exits.
  reports.on('error', () => {});
  reports.write('41 0\n42 ');
  reports.end('2304\n43 15\n');
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.equal(output, 'linked true true\nreaped 41 exit status 0\nreaped 42 exit status 9\nreaped 43 terminated by SIGTERM\ngone\n');
});

test("Perl's own variables are carried past it, the rest passed as they are", () => {
  const env = reaperEnvironment({
    PATH: '/bin',
    PERL5LIB: '/x',
    PERL5OPT: '-d',
    LANG: 'xx_YY.UTF-8',
    LC_ALL: 'C',
    LANGUAGES: 'kept',
    A: 'b=c',
  });
  assert.deepEqual(env, [
    'PATH=/bin',
    'SUPERVISORD_REAPER_KEEP_PERL5LIB=/x',
    'SUPERVISORD_REAPER_KEEP_PERL5OPT=-d',
    'SUPERVISORD_REAPER_KEEP_LANG=xx_YY.UTF-8',
    'SUPERVISORD_REAPER_KEEP_LC_ALL=C',
    'LANGUAGES=kept',
    'A=b=c',
  ]);
});
