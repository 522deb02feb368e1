// XML-RPC values shared by the codec suites.
import { XmlRpcDouble, type XmlRpcValue } from '../../common/xmlrpc/types.js';

// One value of every type, nested.
export const EVERYTHING: XmlRpcValue = {
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
export const EVERYTHING_READ = { ...(EVERYTHING as object), integralDouble: 3 };
