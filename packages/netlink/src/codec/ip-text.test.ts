import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, test } from 'vitest';
import { ipv4Octets, parseCidr, parseIpAddress } from './ip-text.ts';

/** What ipaddr.js makes of `f()`: kind and bytes, or the fact that it throws. */
const outcome = (f: () => { address: ipaddr.IPv4 | ipaddr.IPv6; prefixLen?: number }) => {
  try {
    const { address, prefixLen } = f();
    return { kind: address.kind(), bytes: address.toByteArray(), text: address.toString(), prefixLen };
  } catch {
    return 'throws';
  }
};

// Dotted quads, mostly valid, with the forms ipaddr.js reads differently: leading zeros (octal), hex, out of range.
const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('00', '010', '0x1f', '256', '999', '1000', '', '-1', ' 1'));
const quad = fc.array(octet, { minLength: 3, maxLength: 5 }).map((o) => o.join('.'));
const address = fc.oneof(quad, fc.constantFrom('::1', 'fd00::2', '::ffff:10.1.2.3', '1.2.3.4.', '.1.2.3', '1..2.3', 'x'));
const prefix = fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('', '00', '08', '024', '129', 'a', '1.5'));

describe('IP text', () => {
  test('parseIpAddress gives what ipaddr.parse gives, or throws when it throws', () => {
    fc.assert(fc.property(address, (text) => {
      expect(outcome(() => ({ address: parseIpAddress(text) }))).toEqual(outcome(() => ({ address: ipaddr.parse(text) })));
    }), { numRuns: 2000 });
  });

  test('parseCidr gives what ipaddr.parseCIDR gives, or throws when it throws', () => {
    fc.assert(fc.property(address, prefix, (a, p) => {
      const text = `${a}/${p}`;
      const theirs = () => {
        const [addr, len] = ipaddr.parseCIDR(text);
        return { address: addr, prefixLen: len };
      };
      expect(outcome(() => parseCidr(text))).toEqual(outcome(theirs));
    }), { numRuns: 2000 });
  });

  test('ipv4Octets accepts exactly what ipaddr.js calls a valid four-part decimal (sockaddrIn relies on it)', () => {
    fc.assert(fc.property(quad, (text) => {
      expect(ipv4Octets(text) !== undefined).toBe(ipaddr.IPv4.isValidFourPartDecimal(text));
    }), { numRuns: 2000 });
  });

  test('the fast path takes canonical dotted quads only', () => {
    expect(ipv4Octets('10.1.2.3')).toEqual([10, 1, 2, 3]);
    expect(ipv4Octets('0.0.0.0')).toEqual([0, 0, 0, 0]);
    for (const other of ['010.1.2.3', '1.2.3', '1.2.3.4.5', '256.1.1.1', '0x1.2.3.4', '1.2.3.4 ', '::1']) expect(ipv4Octets(other), other).toBeUndefined();
  });
});
