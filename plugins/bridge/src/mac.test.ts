import { expect, test } from 'vitest';
import { parseMac } from './mac.ts';

test.each([
  ['0A:58:0a:00:00:01', '0a:58:0a:00:00:01'],
  ['0a-58-0a-00-00-01', '0a:58:0a:00:00:01'],
  ['0a58.0a00.0001', '0a:58:0a:00:00:01'],
  ['0a:58-0a:00:00:01', undefined],
  ['0a:58:0a:00:00', undefined],
  ['00:00:00:00:00:00:00:01', undefined], // EUI-64: not an Ethernet address
  ['zz:58:0a:00:00:01', undefined],
  ['', undefined],
])('parseMac(%j) = %j', (text, expected) => {
  expect(parseMac(text)).toBe(expected);
});
