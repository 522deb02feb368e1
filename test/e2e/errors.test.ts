// End-to-end: command-line and config-file errors. The reference writes two lines to stderr,
// "Error: <message>" and "For help, use <argv0> -h", nothing to stdout, and exits 2.
// <argv0> differs between daemons, so it is normalized to <prog>. Ours gives the reference's
// message in one line and adds where the refused text is: section, key, file and line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeUsage } from '../harness/normalize.js';
import { runToExit, underTest } from '../harness/daemon.js';

const USAGE = 'For help, use <prog> -h\n';
const ours = underTest === 'ours';

/** The reference's message; ours follows it with where the refused text is. */
const at = (message: string, where: string): string => (ours ? `${message} (${where})` : message);

/** Run with argv (may use %(tmp)s) and files; return the normalized stderr with the temp dir as %(tmp)s. */
async function fails(argv: string[], files: Record<string, string> = {}): Promise<string> {
  const r = await runToExit(argv, files);
  assert.equal(r.code, 2, `exit code 2 expected, got ${r.code}/${r.signal}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  return normalizeUsage(r.stderr).split(r.tmp).join('%(tmp)s');
}

const SV = '[supervisord]\nlogfile=%(tmp)s/sd.log\npidfile=%(tmp)s/sd.pid\n';

describe(`e2e option and config errors (${underTest})`, { concurrency: true }, () => {
  it('-c with a missing file', async () => {
    assert.equal(await fails(['-n', '-c', '%(tmp)s/missing.conf']), `Error: could not find config file %(tmp)s/missing.conf\n${USAGE}`);
  });

  it('unknown long option', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf', '--bogus'], { 's.conf': SV }),
      `Error: option --bogus not recognized\n${USAGE}`,
    );
  });

  it('bad -e level', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf', '-e', 'nonsense'], { 's.conf': SV }),
      `Error: invalid value for -e 'nonsense': bad logging level name 'nonsense'\n${USAGE}`,
    );
  });

  it('positional arguments', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf', 'extra'], { 's.conf': SV }),
      `Error: positional arguments are not supported: ['extra']\n${USAGE}`,
    );
  });

  it('program without command', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': SV + '[program:x]\nautostart=true\n' }),
      `Error: ${at("program section program:x does not specify a command in section 'program:x' (file: '%(tmp)s/s.conf')", '[program:x] at %(tmp)s/s.conf:4')}\n${USAGE}`,
    );
  });

  it('invalid autorestart value', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': SV + '[program:x]\ncommand=ls\nautorestart=maybe\n' }),
      `Error: ${at("invalid 'autorestart' value 'maybe' in section 'program:x' (file: '%(tmp)s/s.conf')", '[program:x] autorestart= at %(tmp)s/s.conf:6')}\n${USAGE}`,
    );
  });

  it('numprocs > 1 without %(process_num) in process_name', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': SV + '[program:x]\ncommand=ls\nnumprocs=2\n' }),
      `Error: ${at("%(process_num) must be present within process_name when numprocs > 1 in section 'program:x' (file: '%(tmp)s/s.conf')", '[program:x] numprocs= at %(tmp)s/s.conf:6')}\n${USAGE}`,
    );
  });

  it("a file without section headers: the reference's three lines, ours in one", async () => {
    const lines = ['File contains no section headers.', "file: '%(tmp)s/s.conf', line: 1", "'garbage\\n'"];
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': 'garbage\n' }),
      `Error: ${lines.join(ours ? ' ' : '\n')}\n${USAGE}`,
    );
  });

  it('a config without a [supervisord] section', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': '[program:x]\ncommand=ls\n' }),
      `Error: ${at('.ini file does not include supervisord section', 'in %(tmp)s/s.conf')}\n${USAGE}`,
    );
  });

  it('a [group:] naming an unknown program', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': SV + '[group:g]\nprograms=nothere\n' }),
      `Error: ${at('[group:g] names unknown program or fcgi-program nothere', '[group:g] programs= at %(tmp)s/s.conf:5')}\n${USAGE}`,
    );
  });

  it("a [group:] naming an unknown program after a known one: the reference blames the known one's section, ours the group", async () => {
    const files = { 's.conf': SV + '[program:x]\ncommand=ls\n[group:g]\nprograms=x,nothere\n' };
    const blamed = ours ? '[group:g]' : '[program:x]';
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf'], files),
      `Error: ${at(`${blamed} names unknown program or fcgi-program nothere`, '[group:g] programs= at %(tmp)s/s.conf:7')}\n${USAGE}`,
    );
  });

  it('a bad integer value', async () => {
    assert.equal(
      await fails(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': SV + '[program:x]\ncommand=ls\nstartsecs=soon\n' }),
      `Error: ${at("invalid literal for int() with base 10: 'soon' in section 'program:x' (file: '%(tmp)s/s.conf')", '[program:x] startsecs= at %(tmp)s/s.conf:6')}\n${USAGE}`,
    );
  });
});
