// The XML-RPC codec against itself and against Python's xmlrpc.client, the client our server
// must satisfy: Python writes documents we parse, and parses documents we write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMethodCall, parseMethodResponse, XmlRpcParser } from '../../../common/xmlrpc/parse.js';
import { isSupervisorError } from '../../../common/errors.js';
import { escapeText, serializeFault, serializeMethodCall, serializeMethodResponse } from '../../../common/xmlrpc/serialize.js';
import { XmlRpcDouble, XmlRpcFault, type XmlRpcValue } from '../../../common/xmlrpc/types.js';

const hasPython = spawnSync('python3', ['-c', 'import xmlrpc.client'], { stdio: 'ignore' }).status === 0;
const needsPython = hasPython ? {} : { skip: 'python3 with xmlrpc.client is not installed' };

function python(script: string, input = ''): string {
  const result = spawnSync('python3', ['-c', script], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

// One value of every type, nested.
const EVERYTHING: XmlRpcValue = {
  int: 42,
  negative: -7,
  zero: 0,
  big: 2 ** 40,
  double: 1.5,
  tiny: 1e-7,
  integralDouble: new XmlRpcDouble(3),
  yes: true,
  no: false,
  string: 'hello, wörld ✓ 😀',
  empty: '',
  markup: 'a < b && c > d ]]> "q" \'a\'',
  whitespace: '  padded\n\tlines\n  ',
  date: new Date(Date.UTC(2026, 10, 24, 4, 29, 43)),
  binary: Buffer.from([0, 1, 2, 254, 255]),
  emptyBinary: Buffer.alloc(0),
  nil: null,
  array: [1, 'two', [3, [4]], {}],
  emptyArray: [],
  struct: { nested: { deeper: [true] } },
  emptyStruct: {},
};

/** What the parser gives back for EVERYTHING: XmlRpcDouble is a plain number once read. */
const EVERYTHING_READ = { ...(EVERYTHING as object), integralDouble: 3 };

test('every type survives a round trip through a response', () => {
  assert.deepEqual(parseMethodResponse(serializeMethodResponse(EVERYTHING)), EVERYTHING_READ);
});

test('every type survives a round trip through a call', () => {
  const call = { methodName: 'supervisor.test', params: [EVERYTHING, 1, 'x', null, []] };
  assert.deepEqual(parseMethodCall(serializeMethodCall(call)), {
    methodName: 'supervisor.test',
    params: [EVERYTHING_READ, 1, 'x', null, []],
  });
  assert.deepEqual(parseMethodCall(serializeMethodCall({ methodName: 'm', params: [] })), { methodName: 'm', params: [] });
});

test('a fault round trip', () => {
  const xml = serializeFault(new XmlRpcFault(10, 'BAD_NAME: foo'));
  assert.throws(
    () => parseMethodResponse(xml),
    (e: unknown) => e instanceof XmlRpcFault && e.faultCode === 10 && e.faultString === 'BAD_NAME: foo',
  );
});

test('exact XML for known values, laid out as Python lays it out', () => {
  assert.equal(
    serializeMethodResponse({ a: 1, b: [true, 1.5, 's<&>"x'] }),
    "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n" +
      '<member>\n<name>a</name>\n<value><int>1</int></value>\n</member>\n' +
      '<member>\n<name>b</name>\n<value><array><data>\n<value><boolean>1</boolean></value>\n' +
      '<value><double>1.5</double></value>\n<value><string>s&lt;&amp;&gt;"x</string></value>\n' +
      '</data></array></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n',
  );
  assert.equal(
    serializeFault(new XmlRpcFault(2, 'INCORRECT_PARAMETERS')),
    "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n" +
      '<member>\n<name>faultCode</name>\n<value><int>2</int></value>\n</member>\n' +
      '<member>\n<name>faultString</name>\n<value><string>INCORRECT_PARAMETERS</string></value>\n</member>\n' +
      '</struct></value>\n</fault>\n</methodResponse>\n',
  );
  assert.equal(
    serializeMethodCall({ methodName: 'system.listMethods', params: [] }),
    "<?xml version='1.0'?>\n<methodCall>\n<methodName>system.listMethods</methodName>\n<params>\n</params>\n</methodCall>\n",
  );
  const one = (v: XmlRpcValue): string => serializeMethodResponse(v).split('\n')[4] as string;
  assert.equal(one(null), '<value><nil/></value>');
  assert.equal(one(new Date(Date.UTC(2026, 10, 24, 4, 29, 43))), '<value><dateTime.iso8601>20261124T04:29:43</dateTime.iso8601></value>');
  assert.equal(one(new XmlRpcDouble(3)), '<value><double>3.0</double></value>');
  assert.equal(one(-Infinity), '<value><double>-inf</double></value>');
  assert.equal(one(NaN), '<value><double>nan</double></value>');
  assert.equal(one(2 ** 31), '<value><int>2147483648</int></value>');
  assert.equal(one(2 ** 60), '<value><double>1.152921504606847e+18</double></value>');
  assert.equal(one(1e-7), '<value><double>1e-07</double></value>');
  assert.equal(one(''), '<value><string></string></value>');
});

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

test('bare <value> text is a string, whitespace kept; empty forms', () => {
  const doc = (inner: string): string => `<methodResponse><params><param>${inner}</param></params></methodResponse>`;
  assert.equal(parseMethodResponse(doc('<value>  plain text \n</value>')), '  plain text \n');
  assert.equal(parseMethodResponse(doc('<value/>')), '');
  assert.equal(parseMethodResponse(doc('<value></value>')), '');
  assert.equal(parseMethodResponse(doc('<value><string/></value>')), '');
  assert.equal(parseMethodResponse(doc('<value>\n  <string> kept </string>\n</value>')), ' kept ');
  assert.equal(parseMethodResponse(doc('<value><int> 12 </int></value>')), 12);
  assert.equal(parseMethodResponse(doc('<value><i4>+3</i4></value>')), 3);
  assert.equal(parseMethodResponse(doc('<value><i8>-9007199254740991</i8></value>')), -9007199254740991);
  assert.equal(parseMethodResponse(doc('<value><double> -1.5E3 </double></value>')), -1500);
  assert.equal(parseMethodResponse(doc('<value><double>inf</double></value>')), Infinity);
  assert.ok(Number.isNaN(parseMethodResponse(doc('<value><double>nan</double></value>'))));
  assert.equal(parseMethodResponse(doc('<value><ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/></value>')), null);
  assert.equal(parseMethodResponse(doc('<value><base64>\naGVs\nbG8=\n</base64></value>'))?.toString(), 'hello');
  assert.equal(parseMethodResponse(doc('<value><![CDATA[<raw> & ]]>x</value>')), '<raw> & x');
  assert.equal(parseMethodResponse(doc('<value>a&#13;b\r\nc\rd&#x1F600;</value>')), 'a\rb\nc\nd😀');
});

test('dates: compact or with dashes, zone-less read as UTC, a zone honoured', () => {
  const date = (text: string): XmlRpcValue =>
    parseMethodResponse(
      `<methodResponse><params><param><value><dateTime.iso8601>${text}</dateTime.iso8601></value></param></params></methodResponse>`,
    );
  assert.deepEqual(date('20261124T04:29:43'), new Date('2026-11-24T04:29:43Z'));
  assert.deepEqual(date(' 2026-11-24T04:29:43 '), new Date('2026-11-24T04:29:43Z'));
  assert.deepEqual(date('2026-11-24T04:29:43.250Z'), new Date('2026-11-24T04:29:43.250Z'));
  assert.deepEqual(date('20261124T04:29:43+02:00'), new Date('2026-11-24T02:29:43Z'));
  assert.throws(
    () => date('20261324T04:29:43'),
    (e: unknown) => isSupervisorError(e, 'XMLRPC_PARSE'),
  );
  assert.throws(
    () => date('20260230T04:29:43'),
    (e: unknown) => isSupervisorError(e, 'XMLRPC_PARSE'),
  );
  assert.throws(() => date('yesterday'), /bad <dateTime.iso8601> value "yesterday"/);
});

test('struct members in order; a duplicate name: the last value wins; __proto__ is just a name', () => {
  const member = (name: string, v: string): string => `<member><name>${name}</name><value>${v}</value></member>`;
  const parsed = parseMethodResponse(
    `<methodResponse><params><param><value><struct>${member('b', '1')}${member('a', '2')}${member('b', '3')}${member('__proto__', '4')}</struct></value></param></params></methodResponse>`,
  ) as { [k: string]: XmlRpcValue };
  assert.deepEqual(Object.keys(parsed), ['b', 'a', '__proto__']);
  assert.equal(parsed.b, '3');
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value, '4');
  assert.deepEqual(parseMethodResponse(serializeMethodResponse(parsed)), parsed);
});

test('a DOCTYPE is refused, with or without entity declarations', () => {
  const call = '<methodCall><methodName>x</methodName></methodCall>';
  for (const doctype of [
    '<!DOCTYPE methodCall>',
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  ]) {
    assert.throws(() => parseMethodCall(`<?xml version="1.0"?>\n${doctype}${call}`), /a DOCTYPE is not allowed/);
  }
  // Undeclared entities are no way around it.
  assert.throws(() => parseMethodCall('<methodCall><methodName>&xxe;</methodName></methodCall>'), /Invalid character entity/);
});

test('malformed XML, unknown tags and wrong structure are clear errors', () => {
  const call = (params: string): string => `<methodCall><methodName>m</methodName><params>${params}</params></methodCall>`;
  const v = (inner: string): string => call(`<param><value>${inner}</value></param>`);
  const cases: [string, RegExp][] = [
    ['', /empty or incomplete document/],
    ['not xml', /malformed XML: Non-whitespace before first tag/],
    ['<methodCall><methodName>m</methodName>', /malformed XML: Unclosed root tag/],
    ['<methodCall><methodName>m</methodName></methodCall><methodCall/>', /unexpected <methodCall> at the top level/],
    ['<methodResponse/>', /unexpected <methodResponse> at the top level/],
    ['<methodCall><params/></methodCall>', /<methodCall> without <methodName>/],
    ['<methodCall><methodName>m</methodName><methodName>n</methodName></methodCall>', /more than one <methodName>/],
    [call('<param><value><int>1</int></value></param>text'), /unexpected text in <params>/],
    [v('<foo>1</foo>'), /unexpected <foo> in <value>/],
    [v('<int>1</int><int>2</int>'), /a <value> holds one typed element/],
    [v('x<int>1</int>'), /text beside a typed element/],
    [v('<int>1.5</int>'), /bad <int> value "1.5"/],
    [v('<int></int>'), /bad <int> value ""/],
    [v('<i8>9007199254740993</i8>'), /beyond ±\(2\^53-1\)/],
    [v('<double>1,5</double>'), /bad <double> value/],
    [v('<boolean>true</boolean>'), /bad <boolean> value "true" \(must be 0 or 1\)/],
    [v('<boolean> 1</boolean>'), /bad <boolean> value/],
    [v('<base64>abc</base64>'), /bad <base64> value/],
    [v('<nil>x</nil>'), /<nil\/> must be empty/],
    [v('<int><int>1</int></int>'), /unexpected <int> in <int>/],
    [v('<array><value>1</value></array>'), /unexpected <value> in <array>/],
    [v('<array/>'), /an <array> needs a <data>/],
    [v('<struct><member><value>1</value></member></struct>'), /a <member> has one <name> then one <value>/],
    [v('<struct><member><name>a</name></member></struct>'), /a <member> needs a <name> and a <value>/],
    [call('<param></param>'), /a <param> needs a <value>/],
    ['<methodCall><methodName>m</methodName><params></param></params></methodCall>', /malformed XML: Unexpected close tag/],
  ];
  for (const [doc, message] of cases) {
    assert.throws(
      () => parseMethodCall(doc),
      (e: unknown) => isSupervisorError(e, 'XMLRPC_PARSE') && message.test(e.message),
      doc,
    );
  }
  const response = (inner: string): string => `<methodResponse>${inner}</methodResponse>`;
  assert.throws(() => parseMethodResponse(response('')), /without <params> or <fault>/);
  assert.throws(() => parseMethodResponse(response('<params></params>')), /exactly one <param>, not 0/);
  assert.throws(() => parseMethodResponse(response('<fault><value><int>1</int></value></fault>')), /a <fault> must be a struct/);
  assert.throws(() => parseMethodResponse(response('<params/><fault/>')), /holds one <params> or one <fault>/);
  assert.throws(() => serializeMethodResponse({ f: (() => 1) as unknown as XmlRpcValue }), /cannot marshal function/);
  assert.throws(() => serializeMethodResponse(new Map() as unknown as XmlRpcValue), /cannot marshal \[object Map\]/);
  assert.throws(() => serializeMethodResponse(new Date(NaN)), /invalid Date/);
});

test('streaming: a document fed in pieces that split UTF-8 sequences and \\r\\n', () => {
  const xml = Buffer.from(serializeMethodResponse({ text: 'é😀 a\r\nb', list: [1, 2, 3] }).replace(/\n/g, '\r\n'));
  for (const size of [1, 2, 3, 7, 64]) {
    const parser = new XmlRpcParser('methodResponse');
    for (let i = 0; i < xml.length; i += size) parser.write(xml.subarray(i, i + size));
    assert.deepEqual(parser.end(), { kind: 'response', value: { text: 'é😀 a\r\nb', list: [1, 2, 3] } });
  }
});

test('a 10 MB body is parsed whole, quickly', () => {
  const big = 'x'.repeat(1000) + '\n';
  const strings = Array.from({ length: 10_000 }, (_, i) => `${i}${big}`);
  const body = Buffer.from(serializeMethodCall({ methodName: 'supervisor.sendProcessStdin', params: ['p', strings.join('')] }));
  assert.ok(body.length > 10_000_000);
  const t0 = performance.now();
  const call = parseMethodCall(body);
  const elapsed = performance.now() - t0;
  assert.equal((call.params[1] as string).length, strings.join('').length);
  assert.ok(elapsed < 5000, `took ${elapsed} ms`);
});
