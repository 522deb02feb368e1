// The interactive shell on a pseudo-terminal (Node has none: a small python3 driver runs our
// supervisorctl under pty.fork, types keys and reads the screen): the first status and the
// prompt, completion of actions and names, history across sessions, Ctrl-D and Ctrl-C, the
// credentials prompt on 401; and the shell reading from a pipe.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { runProcess } from '../harness/run-process.js';
import { OUR_CTL, ourCtl, withCtlDaemon } from '../harness/ctl.js';

/** One step: keys to type, or a pattern to wait for on the screen (ANSI sequences removed). */
type Step = { send: string } | { expect: string };

const PTY_DRIVER = String.raw`
import json, os, pty, re, select, sys, time, fcntl, termios, struct
req = json.load(sys.stdin)
pid, fd = pty.fork()
if pid == 0:
    os.execv(req['argv'][0], req['argv'])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 200, 0, 0))
screen = b''
def plain():
    text = screen.decode('utf-8', 'replace')
    return re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', text).replace('\r', '')
def pump(timeout):
    global screen
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        screen += data
    return True
failed = None
pos = 0
for i, step in enumerate(req['steps']):
    if 'send' in step:
        os.write(fd, step['send'].encode())
        continue
    deadline = time.time() + req['timeout']
    pattern = re.compile(step['expect'])
    while True:
        m = pattern.search(plain(), pos)
        if m:
            pos = m.end()
            break
        if time.time() > deadline or not pump(0.2):
            if not pattern.search(plain(), pos):
                failed = i
            break
    if failed is not None:
        break
code = None
deadline = time.time() + req['timeout']
while time.time() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        code = os.waitstatus_to_exitcode(status)
        break
    pump(0.1)
if code is None:
    os.kill(pid, 9)
while pump(0.05):
    pass
print(json.dumps({'failed': failed, 'screen': plain(), 'code': code}))
`;

async function onTerminal(argv: string[], steps: Step[]): Promise<{ screen: string; code: number | null }> {
  const input = JSON.stringify({ argv: [process.execPath, OUR_CTL, ...argv], steps, timeout: 30 });
  const r = await runProcess('python3', ['-c', PTY_DRIVER], { input, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { failed: number | null; screen: string; code: number | null };
  if (out.failed !== null) assert.fail(`step ${out.failed} ${JSON.stringify(steps[out.failed])} not seen; screen:\n${out.screen}`);
  return out;
}

const PROGRAMS = `
[program:sleeper]
command=sleep 1000
startsecs=0
[program:echo]
command=sh -c 'printf hello-from-echo; exec sleep 1000'
startsecs=0
[group:grp]
programs=member-one
[program:member-one]
command=sleep 1000
startsecs=0
`;

const ESC_UP = '\x1b[A';

describe('supervisorctl interactive shell', { timeout: 240_000 }, () => {
  it('prompt, completion, history, Ctrl-D', async () => {
    await withCtlDaemon(PROGRAMS, {}, async ({ d }) => {
      const conf = d.path('ctl.conf');
      writeFileSync(conf, `[supervisorctl]\nserverurl=unix://${d.path('s.sock')}\nprompt=mysv\nhistory_file=%(here)s/ctl.history\n`);
      const first = await onTerminal(
        ['-c', conf],
        [
          { expect: 'sleeper +RUNNING +pid \\d+' },
          { expect: 'mysv> $' },
          { send: 'vers\t' }, // the one action starting so
          { expect: 'version $' },
          { send: '\r' },
          { expect: '4\\.2\\.5\\nmysv> $' },
          { send: 'tail ec\t' }, // a process name
          { expect: 'tail echo $' },
          { send: '\r' },
          { expect: 'hello-from-echo\\nmysv> $' },
          { send: 'status grp:m\t' }, // a grouped process keeps its group
          { expect: 'status grp:member-one $' },
          { send: '\r' },
          { expect: 'grp:member-one +RUNNING' },
          { expect: 'mysv> $' },
          { send: 'add gr\t' }, // groups after add
          { expect: 'add grp $' },
          { send: '\x15' }, // Ctrl-U: drop the line
          { send: ESC_UP + ESC_UP }, // back to `tail echo`
          { expect: 'tail echo $' }, // as typed, completion's space included
          { send: '\r' },
          { expect: 'hello-from-echo\\nmysv> $' },
          { send: '\x04' }, // Ctrl-D
        ],
      );
      assert.equal(first.code, 0);
      assert.equal(readFileSync(d.path('ctl.history'), 'utf8'), 'version \ntail echo \nstatus grp:member-one \ntail echo \n');

      // the next session starts with that history
      const second = await onTerminal(
        ['-c', conf],
        [{ expect: 'mysv> $' }, { send: ESC_UP }, { expect: 'mysv> tail echo $' }, { send: '\x15quit\r' }],
      );
      assert.equal(second.code, 0);
      assert.match(readFileSync(d.path('ctl.history'), 'utf8'), /\nquit\n$/);
    });
  });

  it('Ctrl-C at the prompt leaves the shell; during tail -f it returns to the prompt', async () => {
    await withCtlDaemon(PROGRAMS, {}, async ({ d }) => {
      const r = await onTerminal(
        ['-c', d.configPath],
        [
          { expect: 'supervisor> $' },
          { send: 'tail -f echo\r' },
          { expect: '==> Press Ctrl-C to exit <==\\n' },
          { expect: 'hello-from-echo' },
          { send: '\x03' },
          { expect: 'supervisor> $' },
          { send: 'version\r' },
          { expect: '4\\.2\\.5\\nsupervisor> $' },
          { send: '\x03' },
        ],
      );
      assert.equal(r.code, 0);
    });
  });

  it('asks for a user name and password when the server wants them', async () => {
    const auth = { username: 'admin', password: 'pw' };
    await withCtlDaemon(PROGRAMS, { auth }, async ({ d }) => {
      const conf = d.path('nocreds.conf');
      writeFileSync(conf, `[supervisorctl]\nserverurl=unix://${d.path('s.sock')}\n`);
      const r = await onTerminal(
        ['-c', conf],
        [
          { expect: 'Server requires authentication\\nUsername:$' },
          { send: 'admin\r' },
          { expect: 'Password:$' },
          { send: 'pw\r' },
          { expect: 'sleeper +RUNNING' },
          { expect: 'supervisor> $' },
          { send: 'shutdown\r' },
          { expect: 'Really shut the remote supervisord process down y/N\\? $' },
          { send: 'n\r' },
          { expect: 'supervisor> $' },
          { send: 'version\r' },
          { expect: '4\\.2\\.5\\n' },
          { expect: 'supervisor> $' },
          { send: '\x04' },
        ],
      );
      assert.equal(r.code, 0, r.screen);
      assert.doesNotMatch(r.screen, /pw\n/, 'the password is not echoed');
    });
  });

  it('reads commands from a pipe: the prompt before each, an empty line at the end', async () => {
    await withCtlDaemon(PROGRAMS, {}, async ({ d }) => {
      const r = await ourCtl(['-c', d.configPath], { input: 'version\nfoo\n' });
      const lines = r.stdout.split('supervisor> ');
      assert.equal(lines.length, 4, r.stdout);
      assert.match(lines[0]!, /^echo +RUNNING/);
      assert.deepEqual(lines.slice(1), ['4.2.5\n', '*** Unknown syntax: foo\n', '\n']);
      assert.equal(r.code, 0); // the shell's status is always 0
      const quit = await ourCtl(['-c', d.configPath], { input: 'quit\nversion\n' });
      assert.match(quit.stdout, /supervisor> \n$/);
    });
  });
});
