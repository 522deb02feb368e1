// XML-RPC API conformance: parameters are checked against the signature system.methodSignature
// reports, over the unix socket and TCP. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
//
// Where we differ on purpose: a wrongly typed parameter is a Fault INCORRECT_PARAMETERS naming
// the value, never a conversion (the reference converts what int() takes, so '5', 1.5 and True
// are offsets, any value is a wait flag, and ['TERM'] crashes into HTTP 500 instead of being
// refused); a malformed multicall entry is a fault entry while the others still run (the
// reference answers HTTP 500 for the whole call, or a FAILED entry with a Python traceback line).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withApi } from '../harness/api-daemon.js';
import { fault, ok } from '../harness/outcomes.js';
import { underTest } from '../harness/daemon.js';
import { eventually } from '../harness/wait.js';
import { asArray, call, pidOf, rpcCalls, waitForState, type Call, type Json, type Outcome, type Target } from '../harness/rpc.js';

/** A trap for USR1 only: a TERM, had one been sent, would kill it at once. */
const CATCHER =
  `[program:x]\ncommand=sh -c 'trap "echo got-USR1" USR1; while :; do sleep 0.1; done'\nstartsecs=0\n` +
  'stdout_logfile=%(tmp)s/x.out\nstderr_logfile=NONE\n[program:off]\ncommand=sleep 1000\nstartsecs=0\nautostart=false\n';

/** What we answer, and what the reference does instead. */
const ours = (ourOutcome: Json, referenceOutcome: Json): Json => (underTest === 'reference' ? referenceOutcome : ourOutcome);
const httpError = (status: number): Json => ({ kind: 'protocol', status });

/** Outcomes without the parts that vary between runs: HTTP reasons and headers, log text. */
function shape(outcome: Outcome): Json {
  if (outcome.kind === 'protocol') return httpError(outcome.status);
  if (outcome.kind === 'ok' && typeof outcome.value === 'string' && outcome.value !== '3.0') return ok('<log text>');
  // fault() builds the same shape, as Json
  return outcome as unknown as Json;
}

/** The same calls over each transport; the outcomes must not depend on it. */
async function overBoth(targets: Target[], calls: Call[]): Promise<Json[]> {
  const [unix, ...rest] = await Promise.all(targets.map(async (t) => (await rpcCalls(t, calls)).map(shape)));
  for (const other of rest) assert.deepEqual(other, unix, 'the same outcomes over unix and TCP');
  return unix!;
}

/** x is still the same process, and a USR1 sent after the calls reached it: no TERM got there first. */
async function neverTermed(target: Target, pid: number, logFile: string): Promise<void> {
  assert.equal(await call(target, 'supervisor.signalProcess', 'x', 'USR1'), true);
  await eventually(async () => readFileSync(logFile, 'utf8').includes('got-USR1'), 'x caught the USR1');
  const info = await waitForState(target, 'x', ['RUNNING']);
  assert.equal(pidOf(info), pid);
}

describe(`API parameter types (${underTest})`, { concurrency: true }, () => {
  it('a wrongly typed parameter is INCORRECT_PARAMETERS naming the value; an array is no signal, so no SIGTERM', async () => {
    await withApi(CATCHER, { inet: true }, async ({ d, unix, tcp }) => {
      const pid = pidOf(await waitForState(unix, 'x', ['RUNNING']));
      const r = await overBoth(
        [unix, tcp!],
        [
          { method: 'supervisor.signalProcess', params: ['x', ['TERM']] },
          { method: 'supervisor.signalProcess', params: ['x', { $nil: true }] },
          { method: 'supervisor.signalProcessGroup', params: ['x', ['TERM']] },
          { method: 'supervisor.signalAllProcesses', params: [{ TERM: 15 }] },
          { method: 'supervisor.readLog', params: ['a', 'b'] },
          { method: 'supervisor.readLog', params: [[], {}] },
          { method: 'supervisor.readProcessStdoutLog', params: ['x', 'zero', 'ten'] },
          { method: 'supervisor.readProcessStdoutLog', params: ['x', 0, 'ten'] },
          { method: 'supervisor.tailProcessStdoutLog', params: ['x', 'x', 'y'] },
          { method: 'supervisor.getProcessInfo', params: [5] },
          { method: 'supervisor.getProcessInfo', params: [['x']] },
          { method: 'supervisor.stopProcess', params: [{ name: 'x' }] },
          { method: 'system.multicall', params: ['notalist'] },
        ],
      );
      assert.deepEqual(r, [
        ours(fault(2, 'INCORRECT_PARAMETERS: ["TERM"]'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: None'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: ["TERM"]'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: {"TERM":15}'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: a'), httpError(500)),
        // int([]) is a TypeError, which the reference reports as a wrong parameter count
        ours(fault(2, 'INCORRECT_PARAMETERS: []'), fault(2, 'INCORRECT_PARAMETERS')),
        ours(fault(2, 'INCORRECT_PARAMETERS: zero'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: ten'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: x'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: 5'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: ["x"]'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: {"name":"x"}'), httpError(500)),
        ours(fault(2, 'INCORRECT_PARAMETERS: notalist'), httpError(500)),
      ]);
      await neverTermed(unix, pid, d.path('x.out'));
    });
  });

  it('what clients send is accepted: a wait flag as boolean or 0/1, a signal as name, number string or int', async () => {
    await withApi(CATCHER, { inet: true }, async ({ unix, tcp }) => {
      await waitForState(unix, 'x', ['RUNNING']);
      for (const target of [unix, tcp!]) {
        const r = (
          await rpcCalls(target, [
            { method: 'supervisor.startProcess', params: ['off', 0] },
            { method: 'supervisor.stopProcess', params: ['off', 1] },
            { method: 'supervisor.startProcessGroup', params: ['off', true] },
            { method: 'supervisor.stopProcessGroup', params: ['off', 1] },
            { method: 'supervisor.startProcess', params: ['off', 1] },
            { method: 'supervisor.stopProcess', params: ['off', false] },
            { method: 'supervisor.signalProcess', params: ['x', 'USR1'] },
            { method: 'supervisor.signalProcess', params: ['x', '10'] },
            { method: 'supervisor.signalProcess', params: ['x', 10] },
            { method: 'supervisor.readLog', params: [-20, 0] },
            { method: 'supervisor.readProcessStdoutLog', params: ['x', 0, 0] },
            { method: 'supervisor.tailProcessStdoutLog', params: ['x', 0, 0] },
          ])
        ).map(shape);
        const kinds = r.map((o) => (o as { kind: string }).kind);
        assert.deepEqual(kinds, Array<string>(12).fill('ok'), JSON.stringify(r));
        assert.deepEqual([r[0], r[1], r[4], r[5]], [ok(true), ok(true), ok(true), ok(true)]);
        assert.deepEqual(r.slice(6, 11), [ok(true), ok(true), ok(true), ok('<log text>'), ok('<log text>')]);
        // the last stop did not wait: off is stopped again before the other transport's turn
        await waitForState(target, 'off', ['STOPPED']);
      }
    });
  });

  it('values the reference converts are refused: a string or double offset, a string wait flag (the reference reads "no" as true), non-string names', async () => {
    await withApi(CATCHER, { inet: true }, async ({ unix, tcp }) => {
      await waitForState(unix, 'x', ['RUNNING']);
      const r = await overBoth(
        [unix, tcp!],
        [
          { method: 'supervisor.readLog', params: ['0', '5'] },
          { method: 'supervisor.readLog', params: [{ $double: 1.5 }, 0] },
          { method: 'supervisor.readLog', params: [true, 0] },
          { method: 'supervisor.tailProcessStdoutLog', params: ['x', 0, '5'] },
          { method: 'supervisor.stopProcess', params: ['off', 'no'] },
          { method: 'supervisor.startProcess', params: ['x', 2] },
          { method: 'supervisor.sendRemoteCommEvent', params: [5, 6] },
          { method: 'supervisor.addProcessGroup', params: [5] },
          { method: 'system.methodHelp', params: [5] },
          { method: 'system.methodSignature', params: [['supervisor.getPID']] },
        ],
      );
      assert.deepEqual(r, [
        ours(fault(2, 'INCORRECT_PARAMETERS: 0'), ok('<log text>')),
        ours(fault(2, 'INCORRECT_PARAMETERS: 1.5'), ok('<log text>')),
        ours(fault(2, 'INCORRECT_PARAMETERS: True'), ok('<log text>')),
        ours(fault(2, 'INCORRECT_PARAMETERS: 5'), r[3]!),
        ours(fault(2, 'INCORRECT_PARAMETERS: no'), fault(70, 'NOT_RUNNING: off')),
        ours(fault(2, 'INCORRECT_PARAMETERS: 2'), fault(60, 'ALREADY_STARTED: x')),
        ours(fault(2, 'INCORRECT_PARAMETERS: 5'), ok(true)),
        ours(fault(2, 'INCORRECT_PARAMETERS: 5'), fault(10, 'BAD_NAME: 5')),
        ours(fault(2, 'INCORRECT_PARAMETERS: 5'), fault(4, 'SIGNATURE_UNSUPPORTED')),
        ours(fault(2, 'INCORRECT_PARAMETERS: ["supervisor.getPID"]'), fault(4, 'SIGNATURE_UNSUPPORTED')),
      ]);
      if (underTest === 'reference') assert.equal((r[3] as { kind: string }).kind, 'ok');
    });
  });

  it('system.multicall: each malformed or ill-typed entry is a fault entry and the others still run', async () => {
    await withApi(CATCHER, { inet: true }, async ({ d, unix, tcp }) => {
      const pid = pidOf(await waitForState(unix, 'x', ['RUNNING']));
      const failed = (r: Json): Json => {
        const { faultCode, faultString } = r as { faultCode: number; faultString: string };
        return faultCode === 30 && faultString.startsWith('FAILED: ') ? { faultCode, faultString: 'FAILED: <traceback>' } : r;
      };
      const FAILED = { faultCode: 30, faultString: 'FAILED: <traceback>' };
      const fault2 = (detail?: string): Json => ({
        faultCode: 2,
        faultString: detail ? `INCORRECT_PARAMETERS: ${detail}` : 'INCORRECT_PARAMETERS',
      });
      for (const target of [unix, tcp!]) {
        const r = asArray(
          await call(target, 'system.multicall', [
            { methodName: 'supervisor.readLog', params: ['a', 'b'] },
            { methodName: 'supervisor.getAPIVersion' },
            { methodName: 'supervisor.getProcessInfo', params: [5] },
            { methodName: 5 },
            { methodName: 'supervisor.getAPIVersion', params: 'ab' },
            { methodName: 'supervisor.signalProcess', params: ['x', ['TERM']] },
            { methodName: 'supervisor.readProcessStdoutLog', params: ['x', 'zero', 'ten'] },
            { methodName: 'supervisor.getPID' },
          ]),
        );
        assert.deepEqual(r.map(failed), [
          ours(fault2('a'), FAILED),
          '3.0',
          ours(fault2('5'), FAILED),
          ours(fault2('methodName is not a string'), FAILED),
          // the reference spreads the string into two parameters, one too many
          ours(fault2('params is not an array'), fault2()),
          ours(fault2('["TERM"]'), FAILED),
          ours(fault2('zero'), FAILED),
          d.pid,
        ]);
        const [notStructs, mixed] = await rpcCalls(target, [
          { method: 'system.multicall', params: [[1, 2, 3]] },
          { method: 'system.multicall', params: [[1, { methodName: 'supervisor.getAPIVersion' }, 'x']] },
        ]);
        const notAStruct = fault2('Call is not a struct');
        assert.deepEqual(shape(notStructs!), ours(ok([notAStruct, notAStruct, notAStruct]), httpError(500)));
        assert.deepEqual(shape(mixed!), ours(ok([notAStruct, '3.0', notAStruct]), httpError(500)));
      }
      await neverTermed(unix, pid, d.path('x.out'));
    });
  });
});
