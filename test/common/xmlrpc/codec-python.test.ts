// The XML-RPC codec against Python's xmlrpc.client, the client our server must satisfy: Python
// writes documents we parse, and parses documents we write, also over HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMethodCall, parseMethodResponse } from '../../../common/xmlrpc/parse.js';
import { escapeText, serializeFault, serializeMethodCall, serializeMethodResponse } from '../../../common/xmlrpc/serialize.js';
import { XmlRpcDouble, XmlRpcFault, type XmlRpcValue } from '../../../common/xmlrpc/types.js';
import { EVERYTHING } from '../../harness/xmlrpc-samples.js';

const hasPython = spawnSync('python3', ['-c', 'import xmlrpc.client'], { stdio: 'ignore' }).status === 0;
const needsPython = hasPython ? {} : { skip: 'python3 with xmlrpc.client is not installed' };

function python(script: string, input = ''): string {
  const result = spawnSync('python3', ['-c', script], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('the same bytes as Python for the same values (nil and base64 aside)', needsPython, () => {
  const expected = python(
    'import sys, datetime, xmlrpc.client as x\n' +
      "v = {'a': 1, 'b': [True, False, 1.5, -0.25, 1e+22, 's<&>\"\\'x', ''], 'c': {}, 'd': [],\n" +
      "     'e': datetime.datetime(2026, 11, 24, 4, 29, 43), 'big': 2**31-1, 'neg': -2**31}\n" +
      'sys.stdout.write(x.dumps((v,), methodresponse=True))\n' +
      "sys.stdout.write(x.dumps((1, 'two', [3.0]), 'supervisor.getProcessInfo'))\n",
  );
  const v = {
    a: 1,
    b: [true, false, 1.5, -0.25, 1e22, 's<&>"\'x', ''],
    c: {},
    d: [],
    e: new Date(Date.UTC(2026, 10, 24, 4, 29, 43)),
    big: 2 ** 31 - 1,
    neg: -(2 ** 31),
  };
  const ours =
    serializeMethodResponse(v) +
    serializeMethodCall({ methodName: 'supervisor.getProcessInfo', params: [1, 'two', [new XmlRpcDouble(3)]] });
  assert.equal(ours, expected);
});

// Python's side: turns what it read into JSON that keeps the types apart.
const PY_DESCRIBE = `
import sys, json, base64, datetime, xmlrpc.client as x
def t(v):
    if v is None: return None
    if isinstance(v, bool): return {'bool': v}
    if isinstance(v, int): return {'int': str(v)}
    if isinstance(v, float): return {'float': repr(v)}
    if isinstance(v, str): return {'str': v}
    if isinstance(v, bytes): return {'bytes': base64.b64encode(v).decode()}
    if isinstance(v, datetime.datetime): return {'datetime': v.isoformat()}
    if isinstance(v, list): return [t(i) for i in v]
    if isinstance(v, dict): return {'struct': [[k, t(i)] for k, i in v.items()]}
    raise TypeError(type(v))
out = []
for doc in json.load(sys.stdin):
    try:
        params, method = x.loads(base64.b64decode(doc), use_builtin_types=True)
        out.append({'params': [t(p) for p in params], 'method': method})
    except x.Fault as f:
        out.append({'fault': [f.faultCode, f.faultString]})
    except Exception as e:
        out.append({'error': type(e).__name__ + ': ' + str(e)})
print(json.dumps(out))
`;

type Described = { params?: unknown[]; method?: string | null; fault?: [number, string]; error?: string };

/** Hands documents to Python as the bytes an HTTP body carries; returns what it read. */
function pythonReads(docs: string[]): Described[] {
  const input = JSON.stringify(docs.map((d) => Buffer.from(d, 'utf8').toString('base64')));
  return JSON.parse(python(PY_DESCRIBE, input)) as Described[];
}

/** The same description, made on our side from the values we sent. */
function describe(v: XmlRpcValue): unknown {
  if (v === null) return null;
  if (typeof v === 'boolean') return { bool: v };
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { int: String(v) } : { float: pyRepr(v) };
  if (v instanceof XmlRpcDouble) return { float: pyRepr(v.value) };
  if (typeof v === 'string') return { str: v };
  if (Buffer.isBuffer(v)) return { bytes: v.toString('base64') };
  if (v instanceof Date) return { datetime: v.toISOString().slice(0, 19) };
  if (Array.isArray(v)) return v.map(describe);
  return { struct: Object.entries(v).map(([k, i]) => [k, describe(i)]) };
}

function pyRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

test('Python reads what we write: every type', needsPython, () => {
  const [response, call, fault] = pythonReads([
    serializeMethodResponse(EVERYTHING),
    serializeMethodCall({ methodName: 'supervisor.startProcess', params: ['foo', true] }),
    serializeFault(new XmlRpcFault(70, 'NOT_RUNNING: foo')),
  ]);
  assert.deepEqual(response, { params: [describe(EVERYTHING)], method: null });
  assert.deepEqual(call, { params: [{ str: 'foo' }, { bool: true }], method: 'supervisor.startProcess' });
  assert.deepEqual(fault, { fault: [70, 'NOT_RUNNING: foo'] });
});

test('Python reads doubles, large ints and odd floats as we meant them', needsPython, () => {
  const values = [0.1, -2.5e-300, 1e21, 1e22, 2 ** 53 - 1, 2 ** 53, -(2 ** 40), Infinity, -Infinity, new XmlRpcDouble(-0)];
  const [read] = pythonReads([serializeMethodResponse(values)]);
  assert.deepEqual(read?.params, [values.map(describe)]);
});

test('control characters, lone surrogates and \\r: the document stays well-formed for Python', needsPython, () => {
  const nasty = 'bell\x07 nul\x00 esc\x1b[31m cr\r crlf\r\n tab\t ff\x0c \ufffe\uffff lone\ud800 pair😀 \udc00end';
  const seen = 'bell\ufffd nul\ufffd esc\ufffd[31m cr\r crlf\r\n tab\t ff\ufffd \ufffd\ufffd lone\ufffd pair😀 \ufffdend';
  assert.equal(escapeText(nasty), seen.replace(/\r/g, '&#13;'));
  const [read, control] = pythonReads([
    serializeMethodResponse({ [nasty]: [nasty] }),
    // Why we replace: left raw, one such character makes Python refuse the whole response.
    "<?xml version='1.0'?><methodResponse><params><param><value>a\x01b</value></param></params></methodResponse>",
  ]);
  assert.deepEqual(read?.params, [{ struct: [[seen, [{ str: seen }]]] }]);
  assert.match(control?.error ?? '', /ExpatError: not well-formed/);
});

test('Python reads a large structure: 1000 process infos of 15 members', needsPython, () => {
  const infos = Array.from({ length: 1000 }, (_, i) => processInfo(i, '\x1b'));
  const [read] = pythonReads([serializeMethodResponse(infos)]);
  const expected = Array.from({ length: 1000 }, (_, i) => processInfo(i, '\ufffd'));
  assert.deepEqual(read?.params, [expected.map(describe)]);
});

/** A getAllProcessInfo entry, with some colored output (ESC is one of the replaced characters). */
function processInfo(i: number, esc: string): XmlRpcValue {
  return {
    name: `proc_${i}`,
    group: `group_${i % 7}`,
    description: `pid ${1000 + i}, uptime 0:00:0${i % 10}`,
    start: 1764000000 + i,
    stop: 0,
    now: 1764000100,
    state: 20,
    statename: 'RUNNING',
    spawnerr: '',
    exitstatus: 0,
    logfile: `/tmp/proc_${i}.log`,
    stdout_logfile: `/tmp/proc_${i}.log`,
    stderr_logfile: '',
    pid: 1000 + i,
    noise: `out${esc}[0m\r\n<${i}>&`,
  };
}

test('we read what Python writes: every type', needsPython, () => {
  const docs = JSON.parse(
    python(`
import json, datetime, xmlrpc.client as x
v = {'i': 1, 'neg': -5, 'f': 2.5, 'whole': 3.0, 't': True, 'fl': False, 's': 'a < b & "c" \\u00e9\\U0001F600',
     'e': '', 'n': None, 'd': datetime.datetime(1999, 12, 31, 23, 59, 58),
     'b': x.Binary(bytes(range(256)) * 3), 'arr': [1, [2, []], {}], 'nest': {'x': {'y': 'z'}}, 'ws': ' \\n\\t '}
print(json.dumps([
    x.dumps((v,), methodresponse=True, allow_none=True),
    x.dumps((v, 'second'), 'supervisor.addProcessGroup', allow_none=True),
    x.dumps((), 'system.listMethods'),
    x.dumps(x.Fault(20, 'NO_FILE: /nope')),
    x.dumps(('x',), 'supervisor.sendProcessStdin', encoding='utf-8'),
]))
`),
  ) as string[];
  const v = {
    i: 1,
    neg: -5,
    f: 2.5,
    whole: 3,
    t: true,
    fl: false,
    s: 'a < b & "c" é😀',
    e: '',
    n: null,
    d: new Date(Date.UTC(1999, 11, 31, 23, 59, 58)),
    b: Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i))].flatMap((x) => [x, x, x])),
    arr: [1, [2, []], {}],
    nest: { x: { y: 'z' } },
    ws: ' \n\t ',
  };
  assert.deepEqual(parseMethodResponse(docs[0] as string), v);
  assert.deepEqual(parseMethodCall(docs[1] as string), { methodName: 'supervisor.addProcessGroup', params: [v, 'second'] });
  assert.deepEqual(parseMethodCall(docs[2] as string), { methodName: 'system.listMethods', params: [] });
  assert.throws(() => parseMethodResponse(docs[3] as string), new XmlRpcFault(20, 'NO_FILE: /nope'));
  assert.deepEqual(parseMethodCall(Buffer.from(docs[4] as string)), { methodName: 'supervisor.sendProcessStdin', params: ['x'] });
});

test('Python over HTTP: its ServerProxy calls a node server that uses our codec', needsPython, async () => {
  const big = 'line with a bell \x07 and <markup> & more\n'.repeat(50_000); // ~2 MB
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = parseMethodCall(Buffer.concat(chunks));
      const body =
        call.methodName === 'echo'
          ? serializeMethodResponse(call.params)
          : call.methodName === 'big'
            ? serializeMethodResponse(big)
            : serializeFault(new XmlRpcFault(1, 'UNKNOWN_METHOD'));
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const script = `
import sys, json, xmlrpc.client as x
p = x.ServerProxy('http://127.0.0.1:${port}/RPC2', allow_none=True)
out = {'echo': p.echo(1, 'é\\r\\n', [None, True], {'k': 2.5}), 'big': len(p.big())}
try:
    p.nope()
except x.Fault as f:
    out['fault'] = [f.faultCode, f.faultString]
print(json.dumps(out))
`;
    const result = await new Promise<string>((resolve, reject) => {
      // Asynchronously: the server lives in this process's event loop.
      execFile('python3', ['-c', script], { maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    // Python sends \r\n raw, and XML reads that as \n: the reference server sees the same.
    assert.deepEqual(JSON.parse(result), {
      echo: [1, 'é\n', [null, true], { k: 2.5 }],
      big: big.length,
      fault: [1, 'UNKNOWN_METHOD'],
    });
  } finally {
    server.close();
  }
});
