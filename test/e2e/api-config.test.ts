// XML-RPC API conformance: reloadConfig, addProcessGroup, removeProcessGroup after editing the
// config file, and getAllConfigInfo. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { withApi } from '../harness/api-daemon.js';
import { fault, ok } from '../harness/outcomes.js';
import { normalizePaths } from '../harness/normalize.js';
import { call, rpcCalls, waitForState, asArray, asStruct } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';
import { lineOf } from '../harness/config-text.js';

/** Ours follows the reference's message with where the refused text is. */
const at = (message: string, where: string): string => (underTest === 'ours' ? `${message} (${where})` : message);

const BODY = `
[program:keep]
command=sleep 1000
startsecs=0
[program:change]
command=sleep 1000
startsecs=0
[program:gone]
command=sleep 1000
autostart=false
[group:g]
programs=gm
[program:gm]
command=sleep 1000
autostart=false
`;

function edit(file: string, fn: (text: string) => string): void {
  writeFileSync(file, fn(readFileSync(file, 'utf8')));
}

describe(`API config reload and groups (${underTest})`, { concurrency: true }, () => {
  it('reloadConfig: [[[],[],[]]] when unchanged; [[added, changed, removed]] sorted after an edit, nothing applied yet', async () => {
    await withApi(BODY, {}, async ({ d, unix }) => {
      assert.deepEqual(await call(unix, 'supervisor.reloadConfig'), [[[], [], []]]);
      edit(
        d.configPath,
        (t) =>
          t
            .replace('[program:change]\ncommand=sleep 1000', '[program:change]\ncommand=sleep 1001')
            .replace('[program:gone]\ncommand=sleep 1000\nautostart=false\n', '') +
          '[program:zadded]\ncommand=sleep 1000\n[group:added]\nprograms=am\n[program:am]\ncommand=sleep 1000\n',
      );
      assert.deepEqual(await call(unix, 'supervisor.reloadConfig'), [[['added', 'zadded'], ['change'], ['gone']]]);
      // nothing applied: the removed group is still there, the added ones are not
      assert.equal(asStruct(await call(unix, 'supervisor.getProcessInfo', 'gone'))['statename'], 'STOPPED');
      const r = await rpcCalls(unix, [
        { method: 'supervisor.getProcessInfo', params: ['zadded'] },
        { method: 'supervisor.getProcessInfo', params: ['added:am'] },
      ]);
      assert.deepEqual(r, [fault(10, 'BAD_NAME: zadded'), fault(10, 'BAD_NAME: added:am')]);
      // the same diff again: reloadConfig is idempotent until groups are added/removed
      assert.deepEqual(await call(unix, 'supervisor.reloadConfig'), [[['added', 'zadded'], ['change'], ['gone']]]);
      // getAllConfigInfo now lists the new configuration; AUTO log names read 'auto' after a reload
      const cfg = asArray(await call(unix, 'supervisor.getAllConfigInfo')).map((x) => asStruct(x));
      assert.deepEqual(
        cfg.map((c) => [c['name'], c['group'], c['inuse'], c['command'], c['stdout_logfile'], c['stderr_logfile']]),
        [
          ['am', 'added', false, 'sleep 1000', 'auto', 'auto'],
          ['change', 'change', true, 'sleep 1001', 'auto', 'auto'],
          ['gm', 'g', true, 'sleep 1000', 'auto', 'auto'],
          ['keep', 'keep', true, 'sleep 1000', 'auto', 'auto'],
          ['zadded', 'zadded', false, 'sleep 1000', 'auto', 'auto'],
        ],
      );
    });
  });

  it('reloadConfig on a broken config: CANT_REREAD with the loader message, section and file (ours: key and line too)', async () => {
    await withApi(BODY, {}, async ({ d, unix }) => {
      edit(d.configPath, (t) => t + '[program:bad]\nautostart=false\n');
      const header = lineOf(d.configPath, '[program:bad]');
      const r = await rpcCalls(unix, [{ method: 'supervisor.reloadConfig' }]);
      const noCommand =
        "program section program:bad does not specify a command in section 'program:bad' (file: '%(tmp)s/supervisord.conf')";
      assert.deepEqual(normalizePaths(r, d.tmp), [
        fault(92, `CANT_REREAD: ${at(noCommand, `[program:bad] at %(tmp)s/supervisord.conf:${header}`)}`),
      ]);
      edit(d.configPath, (t) => t.replace('[program:bad]\nautostart=false\n', '[program:bad]\ncommand=x\nstartsecs=soon\n'));
      const r2 = await rpcCalls(unix, [{ method: 'supervisor.reloadConfig' }]);
      const badInt = "invalid literal for int() with base 10: 'soon' in section 'program:bad' (file: '%(tmp)s/supervisord.conf')";
      assert.deepEqual(normalizePaths(r2, d.tmp), [
        fault(92, `CANT_REREAD: ${at(badInt, `[program:bad] startsecs= at %(tmp)s/supervisord.conf:${header + 2}`)}`),
      ]);
      // the running configuration is untouched
      assert.equal(asStruct(await call(unix, 'supervisor.getProcessInfo', 'keep'))['statename'], 'RUNNING');
    });
  });

  it('addProcessGroup: true (autostart applies), ALREADY_ADDED, BAD_NAME; removeProcessGroup: STILL_RUNNING, true once stopped, BAD_NAME', async () => {
    await withApi(BODY, {}, async ({ d, unix }) => {
      edit(d.configPath, (t) => t + '[group:added]\nprograms=am\n[program:am]\ncommand=sleep 1000\nstartsecs=0\n');
      assert.deepEqual(await call(unix, 'supervisor.reloadConfig'), [[['added'], [], []]]);
      const r = await rpcCalls(unix, [
        { method: 'supervisor.addProcessGroup', params: ['added'] },
        { method: 'supervisor.addProcessGroup', params: ['added'] },
        { method: 'supervisor.addProcessGroup', params: ['keep'] },
        { method: 'supervisor.addProcessGroup', params: ['nope'] },
        { method: 'supervisor.addProcessGroup', params: ['am'] },
      ]);
      assert.deepEqual(r, [
        ok(true),
        fault(90, 'ALREADY_ADDED: added'),
        fault(90, 'ALREADY_ADDED: keep'),
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: am'),
      ]);
      await waitForState(unix, 'added:am', ['RUNNING']);
      assert.deepEqual(await call(unix, 'supervisor.reloadConfig'), [[[], [], []]]);

      await waitForState(unix, 'keep', ['RUNNING']);
      const r2 = await rpcCalls(unix, [
        { method: 'supervisor.removeProcessGroup', params: ['keep'] },
        { method: 'supervisor.removeProcessGroup', params: ['nope'] },
        { method: 'supervisor.removeProcessGroup', params: ['g:gm'] },
        { method: 'supervisor.removeProcessGroup', params: ['gone'] },
        { method: 'supervisor.removeProcessGroup', params: ['gone'] },
        { method: 'supervisor.stopProcess', params: ['keep'] },
        { method: 'supervisor.removeProcessGroup', params: ['keep'] },
      ]);
      assert.deepEqual(r2, [
        fault(91, 'STILL_RUNNING: keep'),
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: g:gm'),
        ok(true),
        fault(10, 'BAD_NAME: gone'),
        ok(true),
        ok(true),
      ]);
      const names = asArray(await call(unix, 'supervisor.getAllProcessInfo')).map((x) => asStruct(x)['name']);
      assert.deepEqual(names, ['am', 'change', 'gm']);
      // still in the config file, so reloadConfig now reports them as added; addProcessGroup brings one back
      assert.deepEqual(await call(unix, 'supervisor.reloadConfig'), [[['gone', 'keep'], [], []]]);
      assert.equal(await call(unix, 'supervisor.addProcessGroup', 'gone'), true);
      assert.equal(asStruct(await call(unix, 'supervisor.getProcessInfo', 'gone'))['statename'], 'STOPPED');
    });
  });

  it('getAllConfigInfo: every member for a fully specified program, a default one and a group member; sorted by name; none/auto strings', async () => {
    const body = `
[program:plain]
command=sleep 1000
autostart=false
[program:cfg]
command=/bin/sleep 1000
autostart=false
directory=%(tmp)s
priority=5
startsecs=2
startretries=7
exitcodes=0,2
stopsignal=INT
stopwaitsecs=3
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=%(tmp)s/cfg.out
stdout_logfile_maxbytes=1KB
stdout_logfile_backups=2
stdout_capture_maxbytes=100
stdout_events_enabled=true
serverurl=AUTO
[group:grp]
programs=member
priority=50
[program:member]
command=sleep 1000
autostart=false
stderr_logfile=%(tmp)s/member.err
stderr_logfile_maxbytes=0
stderr_syslog=true
stdout_logfile=NONE
`;
    await withApi(body, {}, async ({ d, unix }) => {
      const all = normalizePaths(await call(unix, 'supervisor.getAllConfigInfo'), d.tmp);
      const defaults = {
        autostart: false,
        directory: 'none',
        uid: 'none',
        exitcodes: [0],
        inuse: true,
        killasgroup: false,
        redirect_stderr: false,
        startretries: 3,
        startsecs: 1,
        stdout_capture_maxbytes: 0,
        stdout_events_enabled: false,
        stdout_logfile_backups: 10,
        stdout_logfile_maxbytes: 52428800,
        stdout_syslog: false,
        stopsignal: 15,
        stopwaitsecs: 10,
        stderr_capture_maxbytes: 0,
        stderr_events_enabled: false,
        stderr_logfile_backups: 10,
        stderr_logfile_maxbytes: 52428800,
        stderr_syslog: false,
        serverurl: 'none',
      };
      assert.deepEqual(all, [
        {
          ...defaults,
          command: '/bin/sleep 1000',
          directory: '%(tmp)s',
          exitcodes: [0, 2],
          group: 'cfg',
          group_prio: 5,
          killasgroup: true,
          name: 'cfg',
          process_prio: 5,
          redirect_stderr: true,
          startretries: 7,
          startsecs: 2,
          stdout_capture_maxbytes: 100,
          stdout_events_enabled: true,
          stdout_logfile: '%(tmp)s/cfg.out',
          stdout_logfile_backups: 2,
          stdout_logfile_maxbytes: 1024,
          stopsignal: 2,
          stopwaitsecs: 3,
          stderr_logfile: 'none',
          serverurl: 'none', // AUTO reads as unset
        },
        {
          ...defaults,
          command: 'sleep 1000',
          group: 'grp',
          group_prio: 50,
          name: 'member',
          process_prio: 999,
          stdout_logfile: 'none',
          stderr_logfile: '%(tmp)s/member.err',
          stderr_logfile_maxbytes: 0,
          stderr_syslog: true,
        },
        {
          ...defaults,
          command: 'sleep 1000',
          group: 'plain',
          group_prio: 999,
          name: 'plain',
          process_prio: 999,
          stdout_logfile: '%(tmp)s/plain-stdout---supervisor-<rand>.log',
          stderr_logfile: '%(tmp)s/plain-stderr---supervisor-<rand>.log',
        },
      ]);
    });
  });
});
