// End-to-end: names in the config file that the reference does not use. Ours warns about a
// likely typo in the activity log and on stderr (the reference is silent); both refuse a stray
// line the reference hands to its rpc interface factory, which takes no options.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeUsage } from '../harness/normalize.js';
import { runToExit, underTest, withDaemon } from '../harness/daemon.js';

const ours = underTest === 'ours';

/** The lines of a config whose [supervisord] keeps its files in the temp dir. */
const SUPERVISORD = ['[supervisord]', 'logfile=%(tmp)s/supervisord.log', 'pidfile=%(tmp)s/supervisord.pid', 'childlogdir=%(tmp)s'];
const CONTROL = [
  '[unix_http_server]',
  'file=%(tmp)s/supervisor.sock',
  '[rpcinterface:supervisor]',
  'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
  '[supervisorctl]',
  'serverurl=unix://%(tmp)s/supervisor.sock',
];

describe(`e2e unknown names in the config (${underTest})`, { concurrency: true }, () => {
  it(
    'typos: a warning with file and line for each, in the activity log and on stderr; the daemon runs on',
    { skip: ours ? false : 'the reference ignores unknown keys and sections silently' },
    async () => {
      const lines = [...SUPERVISORD, '[program:x]', 'command=sleep 1000', 'autostrat=false', '[progam:y]', 'command=sleep 1000'];
      await withDaemon(lines.join('\n') + '\n', {}, async (d) => {
        await d.waitForLine(/success: x /);
        const file = '%(tmp)s/supervisord.conf';
        const warnings = [
          `unknown key 'autostrat' in [program:x] (${file}:7); did you mean 'autostart'?`,
          `unknown section [progam:y] (${file}:8); did you mean [program:y]?`,
        ];
        assert.deepEqual(
          d.matching(/unknown/),
          warnings.map((w) => `WARN ${w}`),
        );
        assert.equal(d.stderr.split(d.tmp).join('%(tmp)s'), warnings.map((w) => `Warning: ${w}\n`).join(''));
        d.signal('SIGTERM');
        assert.equal((await d.waitForExit()).code, 0);
      });
    },
  );

  it('a config without typos: not a word about names', async () => {
    const lines = [...SUPERVISORD, ...CONTROL, '[program:x]', 'command=sleep 1000', '[group:g]', 'programs=x', 'priority=5'];
    await withDaemon(lines.join('\n') + '\n', {}, async (d) => {
      await d.waitForLine(/success: x /);
      d.signal('SIGTERM');
      assert.equal((await d.waitForExit()).code, 0);
      assert.deepEqual(d.matching(/unknown/), []);
      assert.equal(d.stderr, '');
    });
  });

  it('a section header that lost its "[" after [rpcinterface:supervisor] stops the start, as the reference stops', async () => {
    const lines = [...SUPERVISORD, ...CONTROL.slice(0, 4), 'program:x]', 'command=sleep 1000', ''];
    const r = await runToExit(['-n', '-c', '%(tmp)s/s.conf'], { 's.conf': lines.join('\n') });
    assert.equal(r.code, 2, r.stderr);
    const stderr = normalizeUsage(r.stderr).split(r.tmp).join('%(tmp)s');
    // The reference's message ends there; ours adds the key and where it is.
    assert.match(stderr, /^Error: Could not make supervisor rpc interface/);
    assert.match(stderr, /\nFor help, use <prog> -h\n$/);
    if (ours) {
      assert.equal(
        stderr,
        "Error: Could not make supervisor rpc interface: unknown key 'program' in [rpcinterface:supervisor] (%(tmp)s/s.conf:9); " +
          "is it a section header without its '['?\nFor help, use <prog> -h\n",
      );
    }
    assert.doesNotMatch(r.stdout, /spawned:/);
  });
});
