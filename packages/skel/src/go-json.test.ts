import { expect, test } from 'vitest';
import { goJsonIndent, goJsonLine, goQuote, goQuoteList } from './go-json.ts';

test('indented like json.MarshalIndent with 4 spaces and HTML characters escaped, no trailing newline', () => {
  expect(goJsonIndent({ a: '<b> & \u2028', n: [1] })).toBe('{\n    "a": "\\u003cb\\u003e \\u0026 \\u2028",\n    "n": [\n        1\n    ]\n}');
});
test('compact like json.Encoder, with a newline', () => {
  expect(goJsonLine({ a: ['x'] })).toBe('{"a":["x"]}\n');
});
test('%q quoting', () => {
  expect(goQuote('a "b"\n\u0001')).toBe('"a \\"b\\"\\n\\x01"');
  expect(goQuoteList(['0.1.0', '1.0.0'])).toBe('["0.1.0" "1.0.0"]');
});
