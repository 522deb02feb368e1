// End-to-end: the activity log of a daemon starting up (its first lines, the spawn order, the line
// format) and what its children start with (names, group, environment, directory, umask, server
// URL). Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ROOT_CRIT, isRoot, startupLines, spawned, success } from '../harness/activity-lines.js';
import { apiConfig, supervisordSection } from '../harness/config-text.js';
import { freePort } from '../harness/rpc.js';
import { waitUntil, STEP_TIMEOUT } from '../harness/wait.js';
import { withDaemon, underTest, wholeLines, terminate } from '../harness/daemon.js';

describe(`e2e lifecycle: startup (${underTest})`, { concurrency: true }, () => {
  it('startup without server sections prints only the root warning and the started line, then spawns in priority/name order', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:c]
command=sleep 1000
priority=2
[program:a]
command=sleep 1000
priority=2
[program:b]
command=sleep 1000
priority=1
`,
      {},
      async (d) => {
        await d.waitForCount(/success: /, 3);
        const started = await d.waitForLine(/supervisord started with pid/);
        assert.equal(started.line.replace(/^.* pid /, ''), String(d.pid), 'started line carries the daemon pid');
        assert.deepEqual(d.activity(), [
          ...startupLines(),
          spawned('b'),
          spawned('a'),
          spawned('c'),
          success('b'),
          success('a'),
          success('c'),
        ]);
        // pids in spawned lines are the real children
        for (const l of d.lines.filter((x) => x.includes('spawned:'))) {
          const pid = Number(/with pid (\d+)/.exec(l)?.[1]);
          assert.ok(pid > 0 && pid !== d.pid);
        }
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('a line has the form "YYYY-MM-DD HH:MM:SS,mmm LEVEL message" and the main logfile gets the same lines', async () => {
    await withDaemon(supervisordSection() + '[program:x]\ncommand=sleep 1000\n', {}, async (d) => {
      await d.waitForLine(/success: x /);
      assert.equal(await terminate(d), 0);
      for (const l of d.lines) assert.match(l, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) \S/);
      const fileLines = d
        .read('supervisord.log')
        .split('\n')
        .filter((l) => l !== '');
      assert.deepEqual(fileLines, d.lines);
    });
  });

  it('numprocs with a process_name template and a [group:] section: names, order and group env', async () => {
    await withDaemon(
      supervisordSection() +
        `
[program:w]
command=sh -c 'echo "$SUPERVISOR_PROCESS_NAME $SUPERVISOR_GROUP_NAME"; sleep 1000'
process_name=%(program_name)s_%(process_num)02d
numprocs=3
numprocs_start=1
stdout_logfile=%(tmp)s/w-%(process_num)d.log
[program:solo]
command=sh -c 'echo "$SUPERVISOR_PROCESS_NAME $SUPERVISOR_GROUP_NAME"; sleep 1000'
stdout_logfile=%(tmp)s/solo.log
[program:other]
command=sleep 1000
[program:alpha]
command=sleep 1000
priority=1
[group:pool]
programs=solo,other,alpha
`,
      {},
      async (d) => {
        await d.waitForCount(/success: /, 6);
        // groups in name order (same priority): pool then w; inside [group:pool] the
        // programs= list order wins, even over a program's own priority
        assert.deepEqual(d.matching(/spawned: /), [
          spawned('solo'),
          spawned('other'),
          spawned('alpha'),
          spawned('w_01'),
          spawned('w_02'),
          spawned('w_03'),
        ]);
        assert.equal(await d.readWhen('w-1.log', wholeLines), 'w_01 w\n');
        assert.equal(await d.readWhen('w-3.log', wholeLines), 'w_03 w\n');
        assert.equal(await d.readWhen('solo.log', wholeLines), 'solo pool\n');
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('child environment: SUPERVISOR_* variables, no SUPERVISOR_SERVER_URL without a server, environment precedence, directory and umask', async () => {
    await withDaemon(
      supervisordSection('environment=A="sup",B="sup"') +
        `
[program:envy]
command=sh -c 'env | grep -E "^(SUPERVISOR_[A-Z_]*|A|B|C)=" | sort; pwd; touch made; sleep 1000'
environment=B="prog",C="prog"
directory=%(tmp)s/wd
umask=027
stdout_logfile=%(tmp)s/envy.log
`,
      { env: { A: 'outer', B: 'outer', C: 'outer' }, files: { 'wd/.keep': '' } },
      async (d) => {
        await d.waitForLine(/success: envy /);
        assert.equal(
          await d.readWhen('envy.log', (t) => t.endsWith(`${d.tmp}/wd\n`)),
          [
            'A=sup',
            'B=prog',
            'C=prog',
            'SUPERVISOR_ENABLED=1',
            'SUPERVISOR_GROUP_NAME=envy',
            'SUPERVISOR_PROCESS_NAME=envy',
            `${d.tmp}/wd`,
            '',
          ].join('\n'),
        );
        const { existsSync, statSync } = await import('node:fs');
        assert.ok(await waitUntil(() => existsSync(d.path('wd/made')), STEP_TIMEOUT), 'the child made its file');
        assert.equal(statSync(d.path('wd/made')).mode & 0o777, 0o640);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('unix_http_server without auth: CRIT line before the started line; children get SUPERVISOR_SERVER_URL=unix://<file>', async () => {
    await withDaemon(
      `[unix_http_server]
file=%(tmp)s/s.sock
` +
        supervisordSection() +
        `
[program:u]
command=sh -c 'echo "$SUPERVISOR_SERVER_URL"; sleep 1000'
stdout_logfile=%(tmp)s/u.log
`,
      {},
      async (d) => {
        await d.waitForLine(/success: u /);
        assert.equal(await d.readWhen('u.log', wholeLines), `unix://${d.tmp}/s.sock\n`);
        // no [rpcinterface:supervisor] section, so no "RPC interface ... initialized" line
        const head = [
          ...(isRoot ? [ROOT_CRIT] : []),
          "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
          'INFO supervisord started with pid <pid>',
        ];
        assert.deepEqual(d.activity().slice(0, head.length), head);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('both servers with the rpcinterface: one "RPC interface" line per server, inet before unix', async () => {
    const port = await freePort();
    await withDaemon(
      `[unix_http_server]
file=%(tmp)s/s.sock
[inet_http_server]
port=127.0.0.1:${port}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
` +
        supervisordSection() +
        '[program:x]\ncommand=sleep 1000\n',
      {},
      async (d) => {
        await d.waitForLine(/spawned: 'x'/);
        const head = [
          ...(isRoot ? [ROOT_CRIT] : []),
          "INFO RPC interface 'supervisor' initialized",
          "CRIT Server 'inet_http_server' running without any HTTP authentication checking",
          "INFO RPC interface 'supervisor' initialized",
          "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
          'INFO supervisord started with pid <pid>',
          spawned('x'),
        ];
        assert.deepEqual(d.activity().slice(0, head.length), head);
        assert.equal(await terminate(d), 0);
      },
    );
  });

  it('the first answer comes after the autostart pass: no autostart program is seen STOPPED', async () => {
    const programs = Array.from({ length: 40 }, (_, i) => `[program:p${i}]\ncommand=sleep 1000\n`).join('');
    // A few starts: without the guarantee, a request that arrives while the servers are being
    // set up can be answered before any program is started.
    for (let start = 0; start < 5; start += 1) {
      await withDaemon(apiConfig({ body: programs }), {}, async (d) => {
        const info = await firstAnswer(d.path('s.sock'), 'supervisor.getAllProcessInfo');
        const states = [...info.matchAll(/<name>statename<\/name>\n<value><string>(\w+)<\/string>/g)].map((m) => m[1]);
        assert.equal(states.length, 40, 'every program is listed');
        assert.deepEqual(
          states.filter((state) => state !== 'STARTING' && state !== 'RUNNING'),
          [],
        );
        assert.equal(await terminate(d), 0);
      });
    }
  });
});

/** The first complete answer to `method` on the unix socket `socketPath`, asked every millisecond from the start. */
async function firstAnswer(socketPath: string, method: string): Promise<string> {
  const body = `<?xml version="1.0"?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n</params>\n</methodCall>\n`;
  const request = `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const ask = () =>
    new Promise<string | null>((resolve) => {
      const socket = net.connect(socketPath);
      let reply = '';
      socket.on('connect', () => socket.write(request));
      socket.on('data', (chunk) => {
        reply += chunk.toString();
        if (reply.includes('</methodResponse>')) {
          socket.destroy();
          resolve(reply);
        }
      });
      socket.on('error', () => resolve(null));
      socket.on('close', () => resolve(reply.includes('</methodResponse>') ? reply : null));
    });
  const until = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const reply = await ask();
    if (reply !== null) return reply;
    if (Date.now() > until) throw new Error(`no answer on ${socketPath}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
