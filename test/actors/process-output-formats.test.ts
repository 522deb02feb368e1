// SupervisedProcess with stdout_logfile_format= (ours), in-process on the simulated clock: the
// file gets records naming the program and each child's pid, while PROCESS_LOG events, the
// output stream and the raw feed `fg` follows get the bytes as written; a raw log is unchanged.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SupervisorEvent } from '../../actors/events/types.js';
import { PARTIAL_LINE_DELAY_MS } from '../../actors/logs/line-records.js';
import { SupervisedProcess, type ChildOutput } from '../../actors/process.js';
import type { ChildLogConfig, LogFormat } from '../../config/types.js';
import { EPOCH, FakeSystem, processConfig, processEnvironment, RecordingLog, until } from '../harness/fake-system.js';

const dirs: string[] = [];
const created: SupervisedProcess[] = [];
afterEach(() => {
  for (const process of created.splice(0)) process.dispose();
});
after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Process `x` of group `g` logging stdout to a file in `format`, with PROCESS_LOG_STDOUT events; RUNNING. */
function running(format: LogFormat) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-formats-'));
  dirs.push(dir);
  const logfile = path.join(dir, 'x.log');
  const stdout: ChildLogConfig = {
    logfile,
    maxbytes: 0,
    backups: 0,
    captureMaxbytes: 0,
    eventsEnabled: true,
    syslog: false,
    format,
    rotate: null,
  };
  const system = new FakeSystem();
  const environment = processEnvironment(system, new RecordingLog());
  const events: SupervisorEvent[] = [];
  environment.bus.observe(['PROCESS_LOG_STDOUT']).subscribe((event) => events.push(event));
  const process = new SupervisedProcess(processConfig('x', { stdout, autorestart: 'true' }), 'g', environment);
  created.push(process);
  const output: ChildOutput[] = [];
  process.output.subscribe((chunk) => output.push(chunk));
  process.start();
  system.advance(1000);
  const file = () => (fs.existsSync(logfile) ? fs.readFileSync(logfile, 'utf8') : '');
  const streamed = () => Buffer.concat(output.map((chunk) => chunk.data)).toString('utf8');
  return { system, process, events, file, streamed };
}

describe('SupervisedProcess: formatted output logs', () => {
  it('json: records in the file; events and the output stream get the bytes as written', async () => {
    const s = running('json');
    s.system.child.stdout.write('hello\nwor');
    await until(() => s.streamed() === 'hello\nwor', 'the chunk read');
    const time = new Date(EPOCH + 1000).toISOString();
    assert.equal(s.file(), `{"time":"${time}","stream":"stdout","program":"g:x","pid":1000,"line":"hello"}\n`);
    assert.deepEqual(
      s.events.map((event) => event.payload),
      ['processname:x groupname:g pid:1000 channel:stdout\nhello\nwor'],
    );
    s.system.advance(PARTIAL_LINE_DELAY_MS);
    assert.match(s.file(), /"line":"wor","partial":true\}\n$/);
  });

  it("a restarted child's records carry its own pid; the line the first left open is written first", async () => {
    const s = running('json');
    s.system.child.stdout.write('unfinished');
    await until(() => s.streamed() === 'unfinished', 'the chunk read');
    await s.system.child.die(1);
    s.system.advance(0);
    await until(() => s.process.pid === 1001, 'the restart');
    s.system.child.stdout.write('fresh\n');
    await until(() => s.file().includes('fresh'), 'the new line logged');
    const records = s
      .file()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      records.map((record) => [record['pid'], record['line']]),
      [
        [1000, 'unfinished'],
        [1001, 'fresh'],
      ],
    );
  });

  it('timestamped: the raw feed (what fg follows) starts with the latest output as written, then follows it', async () => {
    const s = running('timestamped');
    s.system.child.stdout.write('first\n');
    await until(() => s.file() !== '', 'the line logged');
    assert.equal(s.file(), `${new Date(EPOCH + 1000).toISOString()} first\n`);
    const feed = s.process.logs.feed('stdout');
    assert.ok(feed, 'a formatted channel has a feed');
    const seen: string[] = [];
    const follower = feed.follow(1024, { data: (chunk) => seen.push(chunk.toString('utf8')) });
    s.system.child.stdout.write('second\n');
    await until(() => seen.join('') === 'first\nsecond\n', 'the feed followed');
    follower.close();
  });

  it('raw: the file is the output as written, and there is no feed (the file is the raw output)', async () => {
    const s = running('raw');
    s.system.child.stdout.write('as is');
    await until(() => s.file() === 'as is', 'the chunk logged');
    assert.equal(s.process.logs.feed('stdout'), null);
  });
});
