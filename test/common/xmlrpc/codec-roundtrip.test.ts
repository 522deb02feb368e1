// The XML-RPC codec against itself: values survive a round trip, and what we write is laid out
// byte for byte as Python's xmlrpc.client lays it out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMethodCall, parseMethodResponse } from '../../../common/xmlrpc/parse.js';
import { serializeFault, serializeMethodCall, serializeMethodResponse } from '../../../common/xmlrpc/serialize.js';
import { XmlRpcDouble, XmlRpcFault, type XmlRpcValue } from '../../../common/xmlrpc/types.js';
import { EVERYTHING, EVERYTHING_READ } from '../../harness/xmlrpc-samples.js';

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
