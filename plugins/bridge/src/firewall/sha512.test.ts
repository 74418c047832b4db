import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sha512hex } from './sha512.ts';

const node = (s: string) => createHash('sha512').update(s).digest('hex');

describe('sha512hex', () => {
  test('the FIPS 180-4 examples', () => {
    expect(sha512hex('')).toBe(
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    );
    expect(sha512hex('abc')).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });

  test('every length around the padding boundaries (111/112 and 239/240 bytes) and several blocks', () => {
    for (let n = 0; n <= 300; n++) expect(sha512hex('x'.repeat(n)), `length ${n}`).toBe(node('x'.repeat(n)));
  });

  test('matches node:crypto on any string, UTF-8 included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => sha512hex(s) === node(s)), { numRuns: 500 });
  });
});
