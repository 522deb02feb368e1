import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpuTicksFromStat, processUsage, residentPagesFromStatm } from '../../actors/proc-stats.js';

test('/proc/PID/stat: CPU ticks are utime + stime, counted from the last ")" (the command name may hold both)', () => {
  const stat = '4242 (a) b) (c) S 1 4242 4242 0 -1 4194560 120 0 0 0 37 5 0 0 20 0 1 0 900 1000 200 18446744073709551615\n';
  assert.equal(cpuTicksFromStat(stat), 42);
  assert.equal(cpuTicksFromStat('4242 (short) S 1'), null);
  assert.equal(residentPagesFromStatm('2500 612 300 10 0 400 0\n'), 612);
});

test('processUsage reads a live process (this one) in bytes and seconds', () => {
  const usage = processUsage(process.pid);
  assert.ok(usage);
  const rss = process.memoryUsage.rss();
  // Read a moment apart, so allow the heap to move a little between the two.
  assert.ok(usage.residentBytes > rss / 2 && usage.residentBytes < rss * 2, `${usage.residentBytes} vs ${rss}`);
  const cpu = process.cpuUsage();
  assert.ok(usage.cpuSeconds >= 0 && usage.cpuSeconds <= (cpu.user + cpu.system) / 1e6 + 1, `${usage.cpuSeconds} s`);
});

test('processUsage of a process that has gone is null', async () => {
  const child = spawn('true');
  const pid = child.pid;
  assert.ok(pid);
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(processUsage(pid), null);
});
