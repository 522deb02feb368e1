// checkConfig (supervisord --check's loader): it reads what loadConfig reads, but goes on after
// each error it can, so that one run lists them all, each at its file, line, section and key;
// and formatProblem's one-line form of each.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkConfig, loadConfig } from '../../config/load.js';
import { formatProblem, orderedProblems } from '../../config/problems.js';

const env = { HOME: '/root', PATH: '/usr/bin:/bin' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'config-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;
/** Writes `files` (the first is the main one) into a fresh subdirectory; returns the main file. */
function write(files: Record<string, string>): string {
  const sub = path.join(dir, String(written++));
  mkdirSync(sub);
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(sub, name), name === 'c.conf' ? Buffer.from(text, 'latin1') : text);
  return path.join(sub, Object.keys(files)[0]!);
}

/** The problems as --check prints them, with the directory shown as DIR. */
function lines(main: string): string[] {
  const { problems, files } = checkConfig(main, { env, cwd: path.dirname(main) });
  return orderedProblems(problems, files).map((p) => formatProblem(p, main).split(path.dirname(main)).join('DIR'));
}

const HEAD = '[supervisord]\nlogfile=/tmp/x.log\n';

test('several bad keys of one section are each reported, the section still read past them', () => {
  const main = write({ 'a.conf': `${HEAD}[program:a]\ncommand=sleep 1\nstartsecs=x\nstartretries=y\nstopsignal=z\n` });
  assert.deepEqual(lines(main), [
    "DIR/a.conf:5: error: [program:a] startsecs: invalid literal for int() with base 10: 'x'",
    "DIR/a.conf:6: error: [program:a] startretries: invalid literal for int() with base 10: 'y'",
    "DIR/a.conf:7: error: [program:a] stopsignal: value 'z' is not a valid signal name",
  ]);
  // The daemon still stops at the first one, saying it as before.
  assert.throws(() => loadConfig(main, { env }), {
    message: `invalid literal for int() with base 10: 'x' in section 'program:a' (file: '${main}') ([program:a] startsecs= at ${main}:5)`,
  });
});

test('a section refused as a whole is one error; what follows from a refused key is not reported again', () => {
  const main = write({
    'a.conf': `${HEAD}[program:nocommand]\nautostart=true\n[program:badnum]\ncommand=sleep 1\nnumprocs=two\n[inet_http_server]\nport=nope:x\n`,
  });
  assert.deepEqual(lines(main), [
    'DIR/a.conf:3: error: [program:nocommand] program section program:nocommand does not specify a command',
    "DIR/a.conf:7: error: [program:badnum] numprocs: invalid literal for int() with base 10: 'two'",
    "DIR/a.conf:9: error: [inet_http_server] port: invalid literal for int() with base 10: 'x'",
  ]);
});

test('each malformed line is an error of its own, and the files are still read past them', () => {
  const main = write({
    'a.conf': `${HEAD}bad one\n[program:a]\ncommand=sleep 1\nbad two\n[include]\nfiles=b.conf c.conf\n`,
    'b.conf': '[program:b]\ncommand=sleep 1\nstartsecs=q\n',
    'c.conf': '\xff',
  });
  assert.deepEqual(lines(main), [
    "DIR/a.conf:3: error: Source contains parsing errors: 'bad one\\n'",
    "DIR/a.conf:6: error: Source contains parsing errors: 'bad two\\n'",
    "DIR/b.conf:3: error: [program:b] startsecs: invalid literal for int() with base 10: 'q'",
    "DIR/c.conf:1: error: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
  ]);
});

test('dependencies: an unknown name and each cycle; a program refused for another reason is no unknown name', () => {
  const main = write({
    'a.conf': [
      HEAD,
      '[program:a]\ncommand=sleep 1\ndepends_on=b, ghost\n',
      '[program:b]\ncommand=sleep 1\ndepends_on=a\n',
      '[program:c]\ncommand=sleep 1\ndepends_on=broken\n',
      '[program:broken]\nautostart=true\n',
    ].join(''),
  });
  assert.deepEqual(lines(main), [
    'DIR/a.conf:5: error: [program:a] depends_on: depends_on names ghost, which is no program',
    'DIR/a.conf:5: error: [program:a] depends_on: dependency cycle a -> b -> a',
    'DIR/a.conf:12: error: [program:broken] program section program:broken does not specify a command',
  ]);
});

test('warnings: unknown keys and sections, duplicates, the reference own warnings; a missing file is the one error', () => {
  const main = write({
    'a.conf': `${HEAD}[program:a]\ncommand=sleep 1\ncommand=sleep 2\nautostrat=1\nstdout_logfile_maxbytes=0\n[progam:b]\n[include]\nfiles=none/*.conf\n`,
  });
  assert.deepEqual(lines(main), [
    `DIR/a.conf: warning: No file matches via include "DIR/none/*.conf"`,
    `DIR/a.conf: warning: For [program:a], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
    "DIR/a.conf:5: warning: [program:a] duplicate key 'command' (first at DIR/a.conf:4): the later value wins",
    "DIR/a.conf:6: warning: [program:a] unknown key 'autostrat'; did you mean 'autostart'?",
    'DIR/a.conf:8: warning: [progam:b] unknown section; did you mean [program:b]?',
  ]);
  const missing = path.join(dir, 'nowhere.conf');
  assert.deepEqual(
    checkConfig(missing).problems.map((p) => formatProblem(p, missing)),
    [`${missing}: error: could not find config file ${missing}`],
  );
});
