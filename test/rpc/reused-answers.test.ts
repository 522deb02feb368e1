// Large answers reused while equal: the same buffer for an equal value, a fresh encoding for any
// difference the encoding would show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMethodResponse } from '../../common/xmlrpc/serialize.js';
import { XmlRpcDouble, type XmlRpcValue } from '../../common/xmlrpc/types.js';
import { ReusedAnswers, sameValue } from '../../rpc/reused-answers.js';

/** A getAllProcessInfo-like answer of ~140 KB, built anew at each call. */
const infos = (pid = 914, name = 'p'): XmlRpcValue =>
  Array.from({ length: 1000 }, (_, i) => ({ name: `${name}${i}`, state: 20, pid: pid + i, description: 'pid 914, uptime 0:00:01' }));

test('an equal large answer is the same buffer; a changed one is encoded again', () => {
  const answers = new ReusedAnswers();
  const first = answers.encode('supervisor.getAllProcessInfo', infos());
  assert.ok(first.length >= 64 * 1024);
  assert.equal(answers.encode('supervisor.getAllProcessInfo', infos()), first);
  const changed = answers.encode('supervisor.getAllProcessInfo', infos(915));
  assert.notEqual(changed, first);
  assert.deepEqual(changed, encodeMethodResponse(infos(915)));
  // Kept per method.
  assert.notEqual(answers.encode('x.other', infos(915)), changed);
});

test('small answers are encoded every time', () => {
  const answers = new ReusedAnswers();
  const small = { a: [1, 2, 3] };
  assert.notEqual(answers.encode('m', small), answers.encode('m', { a: [1, 2, 3] }));
});

test('sameValue: equal only where the encoding is the same', () => {
  const date = new Date(0);
  const equal: [XmlRpcValue, XmlRpcValue][] = [
    [
      { a: 1, b: 'x', c: [true, null] },
      { a: 1, b: 'x', c: [true, null] },
    ],
    [new Date(0), date],
    [Buffer.from('hi'), Buffer.from('hi')],
    [new XmlRpcDouble(1), new XmlRpcDouble(1)],
    [0, -0],
  ];
  for (const [a, b] of equal) assert.ok(sameValue(a, b), JSON.stringify([a, b]));
  const different: [XmlRpcValue, XmlRpcValue][] = [
    [
      { a: 1, b: 2 },
      { b: 2, a: 1 },
    ],
    [{ a: 1 }, { a: 1, b: 2 }],
    [
      [1, 2],
      [1, 2, 3],
    ],
    [1, new XmlRpcDouble(1)],
    [1, '1'],
    [NaN, NaN],
    [new Date(0), new Date(1000)],
    [Buffer.from('hi'), Buffer.from('ho')],
    [[{ a: 1 }], [[1]]],
    [{ a: null }, { a: [] }],
  ];
  for (const [a, b] of different) assert.ok(!sameValue(a, b), JSON.stringify([a, b]));
});
