// XML-RPC API conformance: status and control methods, dispatch errors, wire format, system.*
// methods and multicall. Runs against SUPERVISORD_UNDER_TEST=reference or ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { httpRequest, methodCallXml } from '../harness/raw-http.js';
import { withApi } from '../harness/api-daemon.js';
import { fault } from '../harness/outcomes.js';
import { normalizePath } from '../harness/normalize.js';
import { waitUntil, STEP_TIMEOUT, eventually } from '../harness/wait.js';
import { isAlive, waitForPidGone } from '../harness/pids.js';
import { call, callFault, rpcCalls, multicall, asArray, asStruct, pidOf, waitForRpc } from '../harness/rpc.js';
import { underTest } from '../harness/daemon.js';

const SLEEPER = '[program:sleeper]\ncommand=sleep 1000\nstartsecs=0\n';

/** Every method of the reference, sorted, with its signature. */
const SIGNATURES: Record<string, string[]> = {
  'supervisor.addProcessGroup': ['boolean', 'string'],
  'supervisor.clearAllProcessLogs': ['array'],
  'supervisor.clearLog': ['boolean'],
  'supervisor.clearProcessLog': ['boolean', 'string'],
  'supervisor.clearProcessLogs': ['boolean', 'string'],
  'supervisor.getAPIVersion': ['string'],
  'supervisor.getAllConfigInfo': ['array'],
  'supervisor.getAllProcessInfo': ['array'],
  'supervisor.getIdentification': ['string'],
  'supervisor.getPID': ['int'],
  'supervisor.getProcessInfo': ['struct', 'string'],
  'supervisor.getState': ['struct'],
  'supervisor.getSupervisorVersion': ['string'],
  'supervisor.getVersion': ['string'],
  'supervisor.readLog': ['string', 'int', 'int'],
  'supervisor.readMainLog': ['string', 'int', 'int'],
  'supervisor.readProcessLog': ['string', 'string', 'int', 'int'],
  'supervisor.readProcessStderrLog': ['string', 'string', 'int', 'int'],
  'supervisor.readProcessStdoutLog': ['string', 'string', 'int', 'int'],
  'supervisor.reloadConfig': ['array'],
  'supervisor.removeProcessGroup': ['boolean', 'string'],
  'supervisor.restart': ['boolean'],
  'supervisor.sendProcessStdin': ['boolean', 'string', 'string'],
  'supervisor.sendRemoteCommEvent': ['boolean', 'string', 'string'],
  'supervisor.shutdown': ['boolean'],
  'supervisor.signalAllProcesses': ['array', 'string'],
  'supervisor.signalProcess': ['boolean', 'string', 'string'],
  'supervisor.signalProcessGroup': ['array', 'string', 'string'],
  'supervisor.startAllProcesses': ['array', 'boolean'],
  'supervisor.startProcess': ['boolean', 'string', 'boolean'],
  'supervisor.startProcessGroup': ['array', 'string', 'boolean'],
  'supervisor.stopAllProcesses': ['array', 'boolean'],
  'supervisor.stopProcess': ['boolean', 'string', 'boolean'],
  'supervisor.stopProcessGroup': ['array', 'string', 'boolean'],
  'supervisor.tailProcessLog': ['array', 'string', 'int', 'int'],
  'supervisor.tailProcessStderrLog': ['array', 'string', 'int', 'int'],
  'supervisor.tailProcessStdoutLog': ['array', 'string', 'int', 'int'],
  'system.listMethods': ['array'],
  'system.methodHelp': ['string', 'string'],
  'system.methodSignature': ['array', 'string'],
  'system.multicall': ['array', 'array'],
};

const ERROR_PAGE = (code: number, message: string): string =>
  `<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n<h1>Error response</h1>\r\n<p>Error code ${code}.\r\n<p>Message: ${message}.\r\n</body>\r\n`;

/**
 * The main log file's bytes once they hold the startup's last line: a daemon without programs
 * logs nothing after it. The file, not the stdout echo: the reference writes it second.
 */
async function startedLog(file: string): Promise<string> {
  const text = (): string => (existsSync(file) ? readFileSync(file, 'latin1') : '');
  assert.ok(await waitUntil(() => / INFO supervisord started with pid \d+\n/.test(text()), STEP_TIMEOUT), `started line in ${file}`);
  return text();
}

describe(`API status, control and system methods (${underTest})`, { concurrency: true }, () => {
  it('getAPIVersion/getVersion "3.0", getSupervisorVersion "4.2.5", getIdentification "supervisor", getState RUNNING, getPID = daemon pid', async () => {
    await withApi('', {}, async ({ d, unix }) => {
      const r = await rpcCalls(unix, [
        { method: 'supervisor.getAPIVersion' },
        { method: 'supervisor.getVersion' },
        { method: 'supervisor.getSupervisorVersion' },
        { method: 'supervisor.getIdentification' },
        { method: 'supervisor.getState' },
        { method: 'supervisor.getPID' },
      ]);
      assert.deepEqual(r, [
        { kind: 'ok', value: '3.0' },
        { kind: 'ok', value: '3.0' },
        { kind: 'ok', value: '4.2.5' },
        { kind: 'ok', value: 'supervisor' },
        { kind: 'ok', value: { statecode: 1, statename: 'RUNNING' } },
        { kind: 'ok', value: d.pid },
      ]);
    });
  });

  it('getIdentification returns the identifier= option', async () => {
    await withApi('', { supervisord: 'identifier=my-box-7' }, async ({ unix }) => {
      assert.equal(await call(unix, 'supervisor.getIdentification'), 'my-box-7');
    });
  });

  it('readLog/readMainLog: offset/length rules against the main log bytes; BAD_ARGUMENTS; NO_FILE once the file is gone', async () => {
    await withApi('', {}, async ({ d, unix }) => {
      const file = d.path('supervisord.log');
      const text = await startedLog(file);
      const n = text.length;
      assert.ok(n > 20, 'main log has content');
      const r = await rpcCalls(unix, [
        { method: 'supervisor.readLog', params: [0, 0] },
        { method: 'supervisor.readLog', params: [0, 10] },
        { method: 'supervisor.readLog', params: [5, 7] },
        { method: 'supervisor.readLog', params: [n - 3, 10] },
        { method: 'supervisor.readLog', params: [n, 5] },
        { method: 'supervisor.readLog', params: [n + 100, 0] },
        { method: 'supervisor.readLog', params: [-12, 0] },
        { method: 'supervisor.readLog', params: [-(n + 100), 0] },
        { method: 'supervisor.readLog', params: [-5, 2] },
        { method: 'supervisor.readLog', params: [5, -2] },
        { method: 'supervisor.readMainLog', params: [0, 10] },
      ]);
      assert.deepEqual(r, [
        { kind: 'ok', value: text },
        { kind: 'ok', value: text.slice(0, 10) },
        { kind: 'ok', value: text.slice(5, 12) },
        { kind: 'ok', value: text.slice(n - 3) },
        { kind: 'ok', value: '' },
        { kind: 'ok', value: '' },
        { kind: 'ok', value: text.slice(n - 12) },
        { kind: 'ok', value: text },
        fault(3, 'BAD_ARGUMENTS'),
        fault(3, 'BAD_ARGUMENTS'),
        { kind: 'ok', value: text.slice(0, 10) },
      ]);
      unlinkSync(file);
      const f = await callFault(unix, 'supervisor.readLog', 0, 0);
      assert.deepEqual(
        { ...f, faultString: normalizePath(f.faultString, d.tmp) },
        {
          faultCode: 20,
          faultString: 'NO_FILE: %(tmp)s/supervisord.log',
        },
      );
    });
  });

  it('clearLog: true, the log file is recreated empty ("reopening log file" goes to the old file); NO_FILE (no detail) when the file is gone', async () => {
    await withApi('', {}, async ({ d, unix }) => {
      const file = d.path('supervisord.log');
      await startedLog(file);
      assert.equal(await call(unix, 'supervisor.clearLog'), true);
      assert.equal(readFileSync(file, 'utf8'), '');
      assert.equal(await call(unix, 'supervisor.readLog', 0, 0), '');
      await d.waitForLine(/INFO reopening log file$/); // the reopen is logged (on stdout with -n)
      unlinkSync(file);
      assert.deepEqual(await callFault(unix, 'supervisor.clearLog'), { faultCode: 20, faultString: 'NO_FILE' });
    });
  });

  it('shutdown: true, then children stopped, daemon exits 0 and removes its unix socket', async () => {
    await withApi(SLEEPER, {}, async ({ d, unix }) => {
      const child = pidOf(await call(unix, 'supervisor.getProcessInfo', 'sleeper'));
      assert.ok(isAlive(child));
      assert.equal(await call(unix, 'supervisor.shutdown'), true);
      const e = await d.waitForExit();
      assert.equal(e.code, 0);
      assert.ok(await waitForPidGone(child), 'child stopped');
      assert.equal(existsSync(d.path('s.sock')), false, 'socket file removed');
    });
  });

  it('restart: true, then the same daemon process comes back RUNNING with a freshly spawned child', async () => {
    await withApi(SLEEPER, {}, async ({ d, unix }) => {
      const before = pidOf(await call(unix, 'supervisor.getProcessInfo', 'sleeper'));
      assert.equal(await call(unix, 'supervisor.restart'), true);
      assert.ok(await waitForPidGone(before), 'old child stopped');
      await eventually(async () => {
        try {
          const info = asStruct(await call(unix, 'supervisor.getProcessInfo', 'sleeper'));
          return info['statename'] === 'RUNNING' && info['pid'] !== before;
        } catch {
          return false;
        }
      }, 'sleeper running again after restart');
      await waitForRpc(unix);
      assert.deepEqual(await call(unix, 'supervisor.getState'), { statecode: 1, statename: 'RUNNING' });
      assert.equal(await call(unix, 'supervisor.getPID'), d.pid);
      assert.equal(d.exit, undefined, 'the daemon process did not exit');
    });
  });

  it('UNKNOWN_METHOD for unknown names, dotless names, object traversal (CVE-2017-11610), private and non-method attributes', async () => {
    await withApi('', {}, async ({ unix }) => {
      const names = [
        'supervisor.nope',
        'nope.nope',
        'nope',
        'supervisor.getState.x',
        'supervisor.__init__.__globals__',
        'supervisor.supervisord.options.__init__.__globals__',
        'supervisor._update',
        'supervisor.__init__',
        'supervisor.__class__',
        'supervisor.supervisord',
        'system._listMethods',
        'system.namespaces',
        '.getState',
        'supervisor.',
      ];
      const r = await rpcCalls(
        unix,
        names.map((method) => ({ method, params: [] })),
      );
      assert.deepEqual(
        r,
        names.map(() => fault(1, 'UNKNOWN_METHOD')),
      );
    });
  });

  it('INCORRECT_PARAMETERS (no detail) for too few or too many parameters', async () => {
    await withApi('', {}, async ({ unix }) => {
      const r = await rpcCalls(unix, [
        { method: 'supervisor.startProcess', params: [] },
        { method: 'supervisor.startProcess', params: ['a', true, 'c'] },
        { method: 'supervisor.getState', params: [1] },
        { method: 'supervisor.readLog', params: [0] },
        { method: 'supervisor.sendRemoteCommEvent', params: ['type'] },
        { method: 'system.methodHelp', params: [] },
        { method: 'system.multicall', params: [] },
        { method: 'system.listMethods', params: ['x'] },
      ]);
      assert.deepEqual(
        r,
        r.map(() => fault(2, 'INCORRECT_PARAMETERS')),
      );
    });
  });

  it('wire format: a value response and a fault response, byte for byte, Content-Type text/xml', async () => {
    await withApi('', {}, async ({ unix }) => {
      const ok = await httpRequest(unix, { body: methodCallXml('supervisor.getAPIVersion'), headers: { 'Content-Type': 'text/xml' } });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers['content-type'], 'text/xml');
      assert.equal(
        ok.body,
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>3.0</string></value>\n</param>\n</params>\n</methodResponse>\n",
      );
      assert.equal(ok.headers['content-length'], String(Buffer.byteLength(ok.body)));
      const bad = await httpRequest(unix, { body: methodCallXml('supervisor.nope') });
      assert.equal(bad.status, 200);
      assert.equal(
        bad.body,
        "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>UNKNOWN_METHOD</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
      );
      // a request without <params> at all is a call with no parameters
      const noParams = await httpRequest(unix, {
        body: '<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName></methodCall>',
      });
      assert.equal(noParams.status, 200);
      assert.match(noParams.body, /<name>statename<\/name>\n<value><string>RUNNING<\/string><\/value>/);
    });
  });

  it('HTTP 400 for a body that is not XML-RPC or lacks a method name, and for GET', async () => {
    await withApi('[program:echo]\ncommand=sleep 1000\n', {}, async ({ unix }) => {
      const garbage = await httpRequest(unix, { body: 'garbage' });
      assert.equal(garbage.status, 400);
      assert.equal(garbage.body, ERROR_PAGE(400, 'Bad Request'));
      assert.equal(garbage.headers['content-type'], 'text/html');
      const noName = await httpRequest(unix, { body: '<?xml version="1.0"?><methodCall></methodCall>' });
      assert.equal(noName.status, 400);
      const get = await httpRequest(unix, { method: 'GET' });
      assert.equal(get.status, 400);
    });
  });

  it('system.listMethods: the exact sorted list; methodSignature for every method; SIGNATURE_UNSUPPORTED for unknown names', async () => {
    await withApi('', {}, async ({ unix }) => {
      const names = Object.keys(SIGNATURES);
      assert.deepEqual(await call(unix, 'system.listMethods'), names);
      const sigs = await rpcCalls(
        unix,
        names.map((n) => ({ method: 'system.methodSignature', params: [n] })),
      );
      assert.deepEqual(
        sigs,
        names.map((n) => ({ kind: 'ok', value: SIGNATURES[n] })),
      );
      const r = await rpcCalls(unix, [
        { method: 'system.methodSignature', params: ['nope'] },
        { method: 'system.methodSignature', params: ['supervisor.nope'] },
        { method: 'system.methodSignature', params: ['supervisor._update'] },
      ]);
      assert.deepEqual(
        r,
        r.map(() => fault(4, 'SIGNATURE_UNSUPPORTED')),
      );
    });
  });

  it('system.methodHelp: documentation whose @return/@param types agree with the signature; SIGNATURE_UNSUPPORTED for unknown names', async () => {
    await withApi('', {}, async ({ unix }) => {
      const names = Object.keys(SIGNATURES);
      const helps = await rpcCalls(
        unix,
        names.map((n) => ({ method: 'system.methodHelp', params: [n] })),
      );
      names.forEach((n, i) => {
        const h = helps[i];
        assert.ok(h?.kind === 'ok' && typeof h.value === 'string', `${n}: help is a string`);
        const text = h.value as string;
        const tags = text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.startsWith('@'))
          .map((l) => l.split(/\s+/));
        const ret = tags.find((t) => t[0] === '@return')?.[1];
        const params = tags.filter((t) => t[0] === '@param').map((t) => t[1]);
        assert.deepEqual([ret, ...params], SIGNATURES[n], `${n}: tags in help`);
      });
      assert.deepEqual(await callFault(unix, 'system.methodHelp', 'nope'), { faultCode: 4, faultString: 'SIGNATURE_UNSUPPORTED' });
    });
  });

  it('system.multicall: bare values and fault structs in order, recursion forbidden, missing methodName, deferred calls complete in order', async () => {
    await withApi(SLEEPER, {}, async ({ d, unix }) => {
      const r = await multicall(unix, [
        { methodName: 'supervisor.getAPIVersion', params: [] },
        { methodName: 'supervisor.getProcessInfo', params: ['nope'] },
        { methodName: 'nope' },
        { params: [] },
        { methodName: 'system.multicall', params: [[]] },
        { methodName: 'supervisor.startProcess', params: [] },
        { methodName: 'supervisor.getPID' },
        { methodName: 'supervisor.__init__.__globals__', params: [] },
        { methodName: 'supervisor.stopProcess', params: ['sleeper'] },
        { methodName: 'supervisor.stopProcess', params: ['sleeper'] },
        { methodName: 'supervisor.startProcess', params: ['sleeper'] },
        { methodName: 'supervisor.getState', params: [] },
      ]);
      assert.deepEqual(r, [
        '3.0',
        { faultCode: 10, faultString: 'BAD_NAME: nope' },
        { faultCode: 1, faultString: 'UNKNOWN_METHOD' },
        { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
        { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
        { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' },
        d.pid,
        { faultCode: 1, faultString: 'UNKNOWN_METHOD' },
        true,
        { faultCode: 70, faultString: 'NOT_RUNNING: sleeper' },
        true,
        { statecode: 1, statename: 'RUNNING' },
      ]);
      assert.deepEqual(await multicall(unix, []), []);
      assert.equal(asStruct(await call(unix, 'supervisor.getProcessInfo', 'sleeper'))['statename'], 'RUNNING');
      assert.deepEqual(asArray(await call(unix, 'system.multicall', [{ methodName: 'supervisor.getAPIVersion' }])), ['3.0']);
    });
  });
});
