// logfile=syslog and stdout_syslog/stderr_syslog: lines reach syslog (here a stand-in socket)
// with the reference's ident, facility and priority, one datagram per line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { supervisordSection } from '../harness/config-text.js';
import { waitUntil } from '../harness/wait.js';
import { underTest, withDaemon } from '../harness/daemon.js';
import { fixturesDir } from '../paths.js';

describe('syslog targets', { skip: underTest === 'reference' ? 'the reference always uses /dev/log' : false }, () => {
  it("the activity log and a child's output go to syslog as user.info lines tagged supervisord", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syslog-'));
    const socket = path.join(dir, 'log.sock');
    const received = path.join(dir, 'received.txt');
    const sink = spawn('python3', [path.join(fixturesDir, 'syslog_sink.py'), socket, received], { stdio: 'ignore' });
    const text = () => (fs.existsSync(received) ? fs.readFileSync(received, 'utf8') : '');
    try {
      assert.ok(await waitUntil(() => text().startsWith('ready'), 10_000), 'the sink listens');
      const config =
        supervisordSection().replace(/logfile=.*\n/, 'logfile=syslog\n') +
        "[program:talker]\ncommand=sh -c 'echo first line; echo second line; sleep 1000'\nstdout_syslog=true\nstdout_logfile=NONE\n";
      await withDaemon(config, { env: { SUPERVISORD_SYSLOG_SOCKET: socket } }, async (d) => {
        await d.waitForLine(/success: talker /);
        assert.ok(await waitUntil(() => text().includes('talker second line'), 10_000), text());
        // <14> is facility user (1) * 8 + priority info (6).
        assert.match(text(), /^<14>.*supervisord: \d{4}-\d\d-\d\d [\d:,]+ INFO spawned: 'talker' with pid \d+$/m);
        assert.match(text(), /^<14>.*supervisord: talker first line$/m);
        assert.match(text(), /^<14>.*supervisord: talker second line$/m);
      });
    } finally {
      sink.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
