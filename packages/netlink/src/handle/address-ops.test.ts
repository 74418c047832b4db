import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { expect, test } from 'vitest';
import { broadcastOf } from './address-ops.ts';

test('broadcastOf (brd +) is what ipaddr.js computes from the CIDR text', () => {
  const bytes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
  fc.assert(fc.property(bytes, fc.integer({ min: 0, max: 32 }), (octets, prefixLen) => {
    const address = new ipaddr.IPv4(octets);
    expect(broadcastOf(address, prefixLen).toString()).toBe(ipaddr.IPv4.broadcastAddressFromCIDR(`${address.toString()}/${prefixLen}`).toString());
  }), { numRuns: 1000 });
});
