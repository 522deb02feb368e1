// [fcgi-program:x]: the socket as the reference reads it, the processes as from [program:x], the
// group as a [group:x] member, and what counts as a change for reread. Refused values are in
// errors.test.ts, with the reference's messages.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sameGroupConfig } from '../../config/compare.js';
import { processConfigInfo } from '../../config/config-info.js';
import { loadConfig } from '../../config/load.js';
import type { Config, ProcessGroupConfig } from '../../config/types.js';
import { lookupUser } from '../../config/users.js';

const env = { HOME: '/root', LANG: 'C.UTF-8', SOCKDIR: '/run/php' };

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function load(body: string): Config & { dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-fcgi-'));
  tempDirs.push(dir);
  writeFileSync(path.join(dir, 'supervisord.conf'), `[supervisord]\n${body}`);
  return { ...loadConfig('supervisord.conf', { env, cwd: dir }), dir };
}

const group = (c: Config, name: string): ProcessGroupConfig => c.groups.find((g) => g.name === name)!;

test('a TCP socket: the host lowercased in the URL, numprocs processes in one group of the section name', () => {
  const c = load(
    '[fcgi-program:php]\ncommand=/usr/bin/php-cgi\nsocket=tcp://LocalHost:09000\nprocess_name=%(program_name)s_%(process_num)s\nnumprocs=2\npriority=5\n',
  );
  const php = group(c, 'php');
  assert.equal(php.kind, 'fcgi-program');
  assert.equal(php.priority, 5);
  assert.deepEqual(
    php.processes.map((p) => [p.name, p.section, p.command]),
    [
      ['php_0', 'fcgi-program:php', '/usr/bin/php-cgi'],
      ['php_1', 'fcgi-program:php', '/usr/bin/php-cgi'],
    ],
  );
  assert.deepEqual(php.socket, {
    kind: 'tcp',
    host: 'localhost',
    port: 9000,
    url: 'tcp://localhost:9000',
    backlog: null,
    location: { file: path.join(c.dir, 'supervisord.conf'), line: 4 },
  });
});

test('a unix socket: the path normalized, mode 0700 and no owner unless given; socket= may name the program, here and ENV_', () => {
  const c = load('[fcgi-program:php]\ncommand=php-cgi\nsocket=unix://%(ENV_SOCKDIR)s//x/../%(program_name)s.sock\n');
  assert.deepEqual(group(c, 'php').socket, {
    kind: 'unix',
    path: '/run/php/php.sock',
    owner: null,
    mode: 0o700,
    url: 'unix:///run/php/php.sock',
    backlog: null,
    location: { file: path.join(c.dir, 'supervisord.conf'), line: 4 },
  });
  const here = load('[fcgi-program:php]\ncommand=php-cgi\nsocket=unix://%(here)s/php.sock\n');
  assert.equal(group(here, 'php').socket?.url, `unix://${here.dir}/php.sock`);
});

test('socket_owner (user, or user:group), socket_mode and socket_backlog', () => {
  const c = load(
    '[fcgi-program:a]\ncommand=x\nsocket=unix:///run/a.sock\nsocket_owner=root:root\nsocket_mode=0660\nsocket_backlog=128\n' +
      '[fcgi-program:b]\ncommand=x\nsocket=unix:///run/b.sock\nsocket_owner=0\n',
  );
  const a = group(c, 'a').socket;
  assert.ok(a?.kind === 'unix');
  assert.deepEqual([a.owner, a.mode, a.backlog], [{ uid: 0, gid: 0 }, 0o660, 128]);
  const b = group(c, 'b').socket;
  assert.ok(b?.kind === 'unix');
  assert.deepEqual(b.owner, { uid: 0, gid: -1 });
});

test(
  "a program run as another user= gets its unix socket owned by that user and the user's group",
  { skip: process.getuid?.() !== 0 },
  () => {
    const nobody = lookupUser('nobody', false);
    assert.ok(nobody, 'the system has a user nobody');
    const c = load('[fcgi-program:php]\ncommand=x\nuser=nobody\nsocket=unix:///run/php.sock\n');
    const socket = group(c, 'php').socket;
    assert.ok(socket?.kind === 'unix');
    assert.deepEqual(socket.owner, { uid: nobody.uid, gid: nobody.gid });
    const self = load('[fcgi-program:php]\ncommand=x\nuser=root\nsocket=unix:///run/php.sock\n');
    const own = group(self, 'php').socket;
    assert.ok(own?.kind === 'unix');
    assert.equal(own.owner, null);
  },
);

test('an [fcgi-program:x] named by a [group:x] is a plain member: no socket, its socket keys not even read', () => {
  const c = load('[group:g]\nprograms=php\n[fcgi-program:php]\ncommand=php-cgi\nsocket=ftp://ignored\nsocket_mode=nonsense\n');
  assert.deepEqual(
    c.groups.map((g) => [g.name, g.kind, g.socket, g.processes.map((p) => p.name)]),
    [['g', 'group', undefined, ['php']]],
  );
});

test('getAllConfigInfo reports an fcgi process exactly as the same [program:x] process', () => {
  const keys = 'command=php-cgi\nnumprocs=1\nstartsecs=3\nuser=root\nstdout_logfile=NONE\n';
  const fcgi = group(load(`[fcgi-program:php]\n${keys}socket=tcp://127.0.0.1:9000\n`), 'php');
  const program = group(load(`[program:php]\n${keys}`), 'php');
  assert.deepEqual(processConfigInfo(fcgi, fcgi.processes[0]!, true), processConfigInfo(program, program.processes[0]!, true));
});

test('reread: a new socket URL changes the group; a new socket_mode, socket_owner or socket_backlog alone does not', () => {
  const base = '[fcgi-program:php]\ncommand=php-cgi\nsocket=unix:///run/php.sock\n';
  const before = group(load(base), 'php');
  const same = (body: string) => sameGroupConfig(before, group(load(body), 'php'));
  assert.equal(same(base), true);
  assert.equal(same(`${base}socket_mode=0777\nsocket_owner=root\nsocket_backlog=5\n`), true);
  assert.equal(same(base.replace('php.sock', 'other.sock')), false);
  assert.equal(same(base.replace('command=php-cgi', 'command=php-cgi -d x=1')), false);
  assert.equal(same('[program:php]\ncommand=php-cgi\n'), false);
});

test('the socket keys are known in [fcgi-program:x] only', () => {
  const c = load(
    '[fcgi-program:php]\ncommand=x\nsocket=tcp://127.0.0.1:9000\nsocket_backlog=10\n[program:p]\ncommand=x\nsocket=tcp://127.0.0.1:9001\n',
  );
  const unknown = c.messages.filter((m) => m.kind === 'unknown-name').map((m) => m.text.replace(c.dir, '<dir>'));
  assert.deepEqual(unknown, ["unknown key 'socket' in [program:p] (<dir>/supervisord.conf:8)"]);
});
