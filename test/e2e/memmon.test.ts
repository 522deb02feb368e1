// memmon: its options, its decisions against a fake supervisord, RSS from /proc, and, under the
// daemon chosen by SUPERVISORD_UNDER_TEST, restarting a process that grows past its limit and
// mailing (through a fake sendmail) only within the -u uptime limit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseMemmonArgs, parseSeconds, DEFAULT_SENDMAIL, type MemmonOptions } from '../../listener/memmon/options.js';
import { checkProcesses, limitFor, type ProcessInfo, type SupervisorControl } from '../../listener/memmon/monitor.js';
import { processRss, residentBytes, descendantPids } from '../../listener/memmon/rss.js';
import type { Mail } from '../../listener/memmon/mail.js';
import { supervisordSection } from '../harness/config-text.js';
import { waitUntil } from '../harness/wait.js';
import { withDaemon, underTest, type Daemon } from '../harness/daemon.js';
import { repoRoot } from '../paths.js';

const MEMMON = path.join(repoRoot, 'dist', 'cli', 'memmon.js');
const MB = 1024 * 1024;

function options(argv: string[]): MemmonOptions {
  const parsed = parseMemmonArgs(argv);
  assert.notEqual(parsed, 'help');
  return parsed as MemmonOptions;
}

describe('memmon options', () => {
  it('every option, short and long, sizes with suffixes', () => {
    const o = options([
      '-c',
      '-p',
      'foo=1MB',
      '--program=g:bar=2kb',
      '-g',
      'grp=3GB',
      '-a',
      '100',
      '-s',
      '/bin/true',
      '-m',
      'a@b',
      '-u',
      '2d',
      '-n',
      'mon',
    ]);
    assert.deepEqual(o, {
      programs: new Map([
        ['foo', MB],
        ['g:bar', 2048],
      ]),
      groups: new Map([['grp', 3 * 1024 * MB]]),
      any: 100,
      cumulative: true,
      sendmail: '/bin/true',
      email: 'a@b',
      emailUptimeLimit: 2 * 86400,
      name: 'mon',
    });
  });

  it('defaults; clustered short options; abbreviated long ones', () => {
    const o = options(['-ca', '5MB', '--em=x@y']);
    assert.equal(o.cumulative, true);
    assert.equal(o.any, 5 * MB);
    assert.equal(o.email, 'x@y');
    assert.equal(o.sendmail, DEFAULT_SENDMAIL);
    assert.equal(o.emailUptimeLimit, undefined);
  });

  it('-h is help; errors for nothing to monitor, bad sizes and pairs', () => {
    assert.equal(parseMemmonArgs(['-h']), 'help');
    assert.throws(() => parseMemmonArgs([]), /nothing to monitor/);
    assert.throws(() => parseMemmonArgs(['-a', '12XB']), /invalid size/);
    assert.throws(() => parseMemmonArgs(['-p', 'foo']), /NAME=SIZE/);
    assert.throws(() => parseMemmonArgs(['-x']), { name: 'UsageError' });
  });

  it('uptime suffixes', () => {
    assert.deepEqual(['90', '5m', '2h', '1d'].map(parseSeconds), [90, 300, 7200, 86400]);
    assert.throws(() => parseSeconds('1w'), /invalid uptime/);
  });

  it('the most specific limit applies: namespec, program name, group, any', () => {
    const o = options(['-p', 'g:a=1KB', '-p', 'a=2KB', '-p', 'b=3KB', '-g', 'g=4KB', '-a', '5KB']);
    assert.deepEqual(limitFor(o, { group: 'g', name: 'a' }), { bytes: 1024, kind: 'program' });
    assert.deepEqual(limitFor(o, { group: 'h', name: 'a' }), { bytes: 2048, kind: 'program' });
    assert.deepEqual(limitFor(o, { group: 'g', name: 'c' }), { bytes: 4096, kind: 'group' });
    assert.deepEqual(limitFor(o, { group: 'h', name: 'c' }), { bytes: 5120, kind: 'any' });
    assert.equal(limitFor(options(['-p', 'x=1KB']), { group: 'h', name: 'c' }), undefined);
  });
});

/** A fake supervisord recording the calls memmon makes. */
function fakeSupervisor(infos: ProcessInfo[], failStop = false): SupervisorControl & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    allProcessInfo: () => Promise.resolve(infos),
    stopProcess: (n) => {
      calls.push(`stop ${n}`);
      return failStop ? Promise.reject(new Error('NOT_RUNNING')) : Promise.resolve();
    },
    startProcess: (n) => {
      calls.push(`start ${n}`);
      return Promise.resolve();
    },
  };
}

describe('memmon decisions', () => {
  const infos: ProcessInfo[] = [
    { name: 'big', group: 'g', pid: 10, start: 1000, now: 1100 },
    { name: 'small', group: 'g', pid: 11, start: 1000, now: 1100 },
    { name: 'stopped', group: 'g', pid: 0, start: 0, now: 1100 },
    { name: 'memmon', group: 'memmon', pid: process.pid, start: 1000, now: 1100 },
  ];
  const rss = (pid: number): number | undefined => (pid === 10 ? 50 * MB : pid === 11 ? MB : 999 * MB);

  it('restarts only the running process over its limit (stop then start), never memmon itself; mails with the -n name', async () => {
    const sup = fakeSupervisor(infos);
    const mails: Mail[] = [];
    const logs: string[] = [];
    await checkProcesses(options(['-a', '10MB', '-m', 'ops@x', '-n', 'web']), sup, {
      rss,
      sendMail: (m) => (mails.push(m), Promise.resolve()),
      log: (l) => logs.push(l),
    });
    assert.deepEqual(sup.calls, ['stop g:big', 'start g:big']);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]?.to, 'ops@x');
    assert.equal(mails[0]?.subject, 'memmon [web]: process g:big restarted');
    assert.match(mails[0]?.body ?? '', /g:big \(pid 10, up 100 seconds\): RSS of 52428800 bytes is over the any limit of 10485760 bytes/);
    assert.equal(logs.length, 1);
  });

  it('-u: mail only when the uptime is at most the limit; restart regardless', async () => {
    for (const [limit, mailed] of [
      ['99', false],
      ['100', true],
    ] as const) {
      const sup = fakeSupervisor(infos);
      const mails: Mail[] = [];
      await checkProcesses(options(['-p', 'big=10MB', '-m', 'ops@x', '-u', limit]), sup, {
        rss,
        sendMail: (m) => (mails.push(m), Promise.resolve()),
        log: () => undefined,
      });
      assert.deepEqual(sup.calls, ['stop g:big', 'start g:big']);
      assert.equal(mails.length === 1, mailed, `-u ${limit}`);
    }
  });

  it('a failed stop is reported and the start still attempted; no mail without -m', async () => {
    const sup = fakeSupervisor(infos, true);
    const logs: string[] = [];
    await checkProcesses(options(['-g', 'g=10MB']), sup, {
      rss,
      sendMail: () => Promise.reject(new Error('unexpected mail')),
      log: (l) => logs.push(l),
    });
    assert.deepEqual(sup.calls, ['stop g:big', 'start g:big']);
    assert.match(logs[1] ?? '', /^Failed to stop g:big: NOT_RUNNING$/);
  });
});

describe('RSS from /proc', () => {
  it('own RSS; a gone pid; cumulative adds the descendants', async () => {
    assert.ok((residentBytes(process.pid) ?? 0) > MB);
    assert.equal(residentBytes(2 ** 22 + 1), undefined);
    const child = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
    try {
      const pid = child.pid ?? 0;
      assert.ok(await waitUntil(() => descendantPids(pid).length === 2, 10_000), 'both background sleeps started');
      const own = processRss(pid, false) ?? 0;
      const all = processRss(pid, true) ?? 0;
      assert.ok(all > own, `cumulative ${all} > own ${own}`);
    } finally {
      spawn('pkill', ['-P', String(child.pid)]);
      child.kill('SIGKILL');
    }
  });
});

/** A python3 process that, after `delay` seconds, holds `mb` MB of touched memory. */
function hog(delaySeconds: number, mb: number): string {
  return `python3 -c "import time; time.sleep(${delaySeconds}); x = b'x' * (${mb} * 1024 * 1024); time.sleep(1000)"`;
}

/** `loglevel=debug` makes the daemon log "memmon: event was processed" once memmon has answered a TICK. */
function memmonConfig(memmonArgs: string, programs: string): string {
  return (
    supervisordSection('loglevel=debug') +
    [
      '[unix_http_server]',
      'file=%(tmp)s/supervisor.sock',
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      programs,
      '[eventlistener:memmon]',
      `command=${process.execPath} ${MEMMON} ${memmonArgs}`,
      'events=TICK_5',
      '',
    ].join('\n')
  );
}

/**
 * Waits until memmon has answered the TICK during which it restarted a process (the first answer
 * after that restart's spawn line): it answers only after deciding whether to mail and sending it.
 */
async function roundAnswered(d: Daemon, respawned: { index: number } | undefined): Promise<void> {
  assert.ok(respawned, 'the restart was seen');
  await d.waitForLine(/ DEBG memmon: event was processed$/, 30_000, respawned.index + 1);
}

const FAKE_SENDMAIL = { content: '#!/bin/sh\n{ echo "ARGS: $*"; cat; echo "--"; } >> "$(dirname "$0")/mail.txt"\n', mode: 0o755 };

describe(`memmon under the daemon (${underTest})`, { concurrency: true }, () => {
  it('restarts a program past its -p limit and mails through -s with the -n name (uptime within -u)', async () => {
    const config = memmonConfig(
      `-p hog=40MB -m ops@example.com -u 1h -n testmon -s "%(tmp)s/fake-sendmail -t -i"`,
      `[program:hog]\ncommand=${hog(2, 60)}\nstartsecs=0\n[program:calm]\ncommand=sleep 1000\n`,
    );
    await withDaemon(config, { files: { 'fake-sendmail': FAKE_SENDMAIL } }, async (d) => {
      const [, respawned] = await d.waitForCount(/spawned: 'hog' with pid/, 2, 30_000);
      await roundAnswered(d, respawned);
      const mail = d.read('mail.txt');
      assert.match(mail, /^ARGS: -t -i\nTo: ops@example.com\nSubject: memmon \[testmon\]: process hog:hog restarted\n\n/);
      assert.match(mail, /Restarting hog:hog \(pid \d+, up \d+ seconds\): RSS of \d+ bytes is over the program limit of 41943040 bytes/);
      assert.deepEqual(
        d.about('calm').filter((l) => l.startsWith('INFO spawned')),
        ["INFO spawned: 'calm' with pid <pid>"],
      );
    });
  });

  it('-g limit, -u shorter than the uptime: restarted without mail', async () => {
    const config = memmonConfig(
      `-g hogs=40MB -m ops@example.com -u 1 -s %(tmp)s/fake-sendmail`,
      `[program:hog]\ncommand=${hog(3, 60)}\nstartsecs=0\n[group:hogs]\nprograms=hog\n`,
    );
    await withDaemon(config, { files: { 'fake-sendmail': FAKE_SENDMAIL } }, async (d) => {
      const [, respawned] = await d.waitForCount(/spawned: 'hog' with pid/, 2, 30_000);
      await roundAnswered(d, respawned); // a mail would be complete by now (see the test above)
      assert.equal(existsSync(d.path('mail.txt')), false, 'no mail for a process up longer than -u');
    });
  });

  it('-c -a: a shell whose child grows is restarted for the cumulative RSS; memmon spares itself', async () => {
    const programs = `[program:parent]\ncommand=sh -c '${hog(0, 60).replace(/'/g, `'"'"'`)} & wait'\nstartsecs=0\n`;
    const config = memmonConfig('-c -a 40MB', programs);
    await withDaemon(config, {}, async (d) => {
      const [, respawned] = await d.waitForCount(/spawned: 'parent' with pid/, 2, 30_000);
      await roundAnswered(d, respawned); // the round looked at every process, memmon included
      assert.deepEqual(
        d.about('memmon').filter((l) => l.startsWith('INFO spawned')),
        ["INFO spawned: 'memmon' with pid <pid>"],
      );
    });
  });
});
