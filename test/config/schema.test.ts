// The configuration table drives the sample config (every key of every section kind it shows
// appears there with a value) and getAllConfigInfo's struct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processConfigInfo } from '../../config/config-info.js';
import { loadConfig } from '../../config/load.js';
import { SAMPLE_CONFIG, sampleValue } from '../../config/sample.js';
import { SECTIONS } from '../../config/schema/sections.js';

test('the sample shows every key of each section kind it shows, each with a value', () => {
  for (const section of SECTIONS) {
    if (section.sample === undefined) continue;
    const header = `[${section.sample.header}]`;
    const start = SAMPLE_CONFIG.indexOf(header);
    assert.ok(start >= 0, header);
    const block = SAMPLE_CONFIG.slice(start, SAMPLE_CONFIG.indexOf('\n\n', start) >>> 0);
    for (const [name, spec] of Object.entries(section.keys)) {
      const value = sampleValue(spec);
      assert.ok(value, `${header} ${name} has a default or an example`);
      assert.match(block, new RegExp(`^;?${name.replace(/\./g, '\\.')}=${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'));
    }
  }
});

test("getAllConfigInfo's struct: the reference's members, from the table and the group", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-table-'));
  try {
    writeFileSync(path.join(dir, 'supervisord.conf'), '[supervisord]\n[program:cat]\ncommand=/bin/cat\nstopsignal=INT\nuser=root\n');
    const config = loadConfig('supervisord.conf', { env: {}, cwd: dir });
    const group = config.groups[0]!;
    const process = group.processes[0]!;
    const running = { ...process, stdout: { ...process.stdout, logfile: '/tmp/cat-stdout.log' } };
    assert.deepEqual(processConfigInfo(group, process, true, running), {
      autostart: true,
      directory: 'none',
      uid: 'root',
      command: '/bin/cat',
      exitcodes: [0],
      group: 'cat',
      group_prio: 999,
      inuse: true,
      killasgroup: false,
      name: 'cat',
      process_prio: 999,
      redirect_stderr: false,
      startretries: 3,
      startsecs: 1,
      stdout_capture_maxbytes: 0,
      stdout_events_enabled: false,
      stdout_logfile: '/tmp/cat-stdout.log',
      stdout_logfile_backups: 10,
      stdout_logfile_maxbytes: 50 * 1024 * 1024,
      stdout_syslog: false,
      stopsignal: 2,
      stopwaitsecs: 10,
      stderr_capture_maxbytes: 0,
      stderr_events_enabled: false,
      stderr_logfile: 'auto',
      stderr_logfile_backups: 10,
      stderr_logfile_maxbytes: 50 * 1024 * 1024,
      stderr_syslog: false,
      serverurl: 'none',
    });
    assert.equal(processConfigInfo(group, process, false).stdout_logfile, 'auto');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
