// XML-RPC API conformance: reading, tailing and clearing child logs with exact offset/length
// semantics on a known log content. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, unlinkSync, statSync } from 'node:fs';
import { withApi } from '../harness/api-daemon.js';
import { fault, ok } from '../harness/outcomes.js';
import { normalizePaths } from '../harness/normalize.js';
import { eventually } from '../harness/wait.js';
import { call, rpcCalls, waitForState, type Json, type Target } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';

const CONTENT = '0123456789abcdefghij';

/** `echo` writes CONTENT (20 bytes) on stdout and ERR on stderr, then sleeps. */
const BODY = `
[program:echo]
command=sh -c 'printf "${CONTENT}"; printf "ERR" >&2; exec sleep 1000'
startsecs=0
stdout_logfile=%(tmp)s/echo.out
stderr_logfile=%(tmp)s/echo.err
[program:never]
command=sleep 1000
autostart=false
stdout_logfile=%(tmp)s/never.out
stderr_logfile=%(tmp)s/never.err
[program:nolog]
command=sleep 1000
autostart=false
stdout_logfile=NONE
stderr_logfile=NONE
[group:g]
programs=gm
[program:gm]
command=sleep 1000
autostart=false
`;

function size(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? -1;
}

async function ready(d: { path(rel: string): string }, unix: Target): Promise<void> {
  await waitForState(unix, 'echo', ['RUNNING']);
  await eventually(async () => size(d.path('echo.out')) === 20 && size(d.path('echo.err')) === 3, 'echo logs written');
}

describe(`API process logs (${underTest})`, { concurrency: true }, () => {
  it('readProcessStdoutLog/readProcessLog/readProcessStderrLog: offset/length table, BAD_ARGUMENTS, past-the-end is empty', async () => {
    await withApi(BODY, {}, async ({ d, unix }) => {
      await ready(d, unix);
      const table: Array<[number, number, Json]> = [
        [0, 0, ok(CONTENT)],
        [0, 5, ok('01234')],
        [5, 5, ok('56789')],
        [18, 5, ok('ij')],
        [20, 5, ok('')],
        [100, 5, ok('')],
        [100, 0, ok('')],
        [-5, 0, ok('fghij')],
        [-20, 0, ok(CONTENT)],
        [-100, 0, ok(CONTENT)],
        [-5, 2, fault(3, 'BAD_ARGUMENTS')],
        [5, -2, fault(3, 'BAD_ARGUMENTS')],
        [-5, -2, fault(3, 'BAD_ARGUMENTS')],
      ];
      const r = await rpcCalls(
        unix,
        table.map(([o, l]) => ({ method: 'supervisor.readProcessStdoutLog', params: ['echo', o, l] })),
      );
      assert.deepEqual(
        r,
        table.map((t) => t[2]),
      );
      const more = await rpcCalls(unix, [
        { method: 'supervisor.readProcessLog', params: ['echo', 0, 0] },
        { method: 'supervisor.readProcessStdoutLog', params: ['echo:echo', 2, 3] },
        { method: 'supervisor.readProcessStderrLog', params: ['echo', 0, 0] },
        { method: 'supervisor.readProcessStderrLog', params: ['echo', -2, 0] },
        { method: 'supervisor.readProcessStderrLog', params: ['echo', 1, -1] },
        { method: 'supervisor.readProcessStdoutLog', params: ['echo', '5', '2'] },
      ]);
      // offsets as strings: the reference converts them, we refuse them (api-param-types.test.ts)
      const stringOffsets = underTest === 'reference' ? ok('56') : fault(2, 'INCORRECT_PARAMETERS: 5');
      assert.deepEqual(more, [ok(CONTENT), ok('234'), ok('ERR'), ok('RR'), fault(3, 'BAD_ARGUMENTS'), stringOffsets]);
    });
  });

  it('read*Log errors: BAD_NAME for unknown / g:* / bare group; NO_FILE with the path, bare NO_FILE for a NONE log', async () => {
    await withApi(BODY, {}, async ({ d, unix }) => {
      await ready(d, unix);
      unlinkSync(d.path('echo.err'));
      const r = await rpcCalls(unix, [
        { method: 'supervisor.readProcessStdoutLog', params: ['nope', 0, 0] },
        { method: 'supervisor.readProcessStdoutLog', params: ['g:*', 0, 0] },
        { method: 'supervisor.readProcessStderrLog', params: ['g', 0, 0] },
        { method: 'supervisor.readProcessStdoutLog', params: ['never', 0, 0] },
        { method: 'supervisor.readProcessStderrLog', params: ['echo', 0, 0] },
        { method: 'supervisor.readProcessStdoutLog', params: ['nolog', 0, 0] },
        { method: 'supervisor.readProcessStdoutLog', params: ['nope', -5, 2] },
      ]);
      assert.deepEqual(normalizePaths(r, d.tmp), [
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: g:*'),
        fault(10, 'BAD_NAME: g'),
        fault(20, 'NO_FILE: %(tmp)s/never.out'),
        fault(20, 'NO_FILE: %(tmp)s/echo.err'),
        fault(20, 'NO_FILE'),
        fault(10, 'BAD_NAME: nope'),
      ]);
    });
  });

  it('tailProcessStdoutLog/tailProcessLog/tailProcessStderrLog: [bytes, offset, overflow] table; missing file → ["", 0, false]; BAD_NAME', async () => {
    await withApi(BODY, {}, async ({ d, unix }) => {
      await ready(d, unix);
      const table: Array<[number, number, Json]> = [
        [0, 5, ['fghij', 20, true]],
        [0, 100, [CONTENT, 20, false]],
        [0, 20, [CONTENT, 20, false]],
        [0, 19, ['123456789abcdefghij', 20, true]],
        [5, 5, ['fghij', 20, true]],
        [15, 5, ['fghij', 20, false]],
        [16, 5, ['fghij', 20, false]],
        [18, 5, ['fghij', 20, false]],
        [19, 1, ['j', 20, false]],
        [20, 5, ['', 20, false]],
        [25, 5, ['', 20, false]],
        [-5, 5, ['fghij', 20, true]],
        [-30, 5, ['fghij', 20, true]],
        [0, 0, ['', 20, true]],
        [20, 0, ['', 20, false]],
        [5, -3, ['', 20, true]],
        [0, -1, ['', 20, true]],
      ];
      const r = await rpcCalls(
        unix,
        table.map(([o, l]) => ({ method: 'supervisor.tailProcessStdoutLog', params: ['echo', o, l] })),
      );
      assert.deepEqual(
        r,
        table.map((t) => ok(t[2])),
      );
      const more = await rpcCalls(unix, [
        { method: 'supervisor.tailProcessLog', params: ['echo', 0, 100] },
        { method: 'supervisor.tailProcessStderrLog', params: ['echo', 0, 100] },
        { method: 'supervisor.tailProcessStderrLog', params: ['echo', 0, 1] },
        { method: 'supervisor.tailProcessStdoutLog', params: ['never', 0, 100] },
        { method: 'supervisor.tailProcessStdoutLog', params: ['never', 7, 100] },
        { method: 'supervisor.tailProcessStdoutLog', params: ['nolog', 0, 100] },
        { method: 'supervisor.tailProcessStdoutLog', params: ['nope', 0, 100] },
        { method: 'supervisor.tailProcessStderrLog', params: ['g:*', 0, 100] },
      ]);
      assert.deepEqual(more, [
        ok([CONTENT, 20, false]),
        ok(['ERR', 3, false]),
        ok(['R', 3, true]),
        ok(['', 0, false]),
        ok(['', 0, false]),
        ok(['', 0, false]),
        fault(10, 'BAD_NAME: nope'),
        fault(10, 'BAD_NAME: g:*'),
      ]);
    });
  });

  it('clearProcessLogs/clearProcessLog: true and both logs emptied; BAD_NAME; clearAllProcessLogs: an OK entry for every process', async () => {
    await withApi(BODY, {}, async ({ d, unix }) => {
      await ready(d, unix);
      assert.equal(await call(unix, 'supervisor.clearProcessLogs', 'echo'), true);
      assert.equal(readFileSync(d.path('echo.out'), 'utf8'), '');
      assert.equal(readFileSync(d.path('echo.err'), 'utf8'), '');
      assert.deepEqual(await call(unix, 'supervisor.tailProcessStdoutLog', 'echo', 0, 100), ['', 0, false]);
      assert.equal(await call(unix, 'supervisor.clearProcessLog', 'echo:echo'), true);
      const r = await rpcCalls(unix, [
        { method: 'supervisor.clearProcessLogs', params: ['nope'] },
        { method: 'supervisor.clearProcessLogs', params: ['g:*'] },
        { method: 'supervisor.clearProcessLogs', params: ['g'] },
        { method: 'supervisor.clearProcessLog', params: ['nope'] },
      ]);
      assert.deepEqual(r, [fault(10, 'BAD_NAME: nope'), fault(10, 'BAD_NAME: g:*'), fault(10, 'BAD_NAME: g'), fault(10, 'BAD_NAME: nope')]);
      const entries = await call(unix, 'supervisor.clearAllProcessLogs');
      assert.deepEqual(entries, [
        { name: 'echo', group: 'echo', status: 80, description: 'OK' },
        { name: 'gm', group: 'g', status: 80, description: 'OK' },
        { name: 'never', group: 'never', status: 80, description: 'OK' },
        { name: 'nolog', group: 'nolog', status: 80, description: 'OK' },
      ]);
    });
  });
});
