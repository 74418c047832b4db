import { describe, expect, it } from 'vitest';
import { isCniError } from '@cni-ts/skel';
import { parseCidr } from './cidr.ts';
import { formatIp, parseIp } from './ip.ts';
import { canonicalizeRange, formatRange, isReservedAddress, type RangeInput, rangeContains, rangesOverlap } from './range.ts';

const ip = (s: string) => parseIp(s)!;
function input(subnet: string, extra: { rangeStart?: string; rangeEnd?: string; gateway?: string } = {}): RangeInput {
  return {
    subnet: parseCidr(subnet)!,
    rangeStart: extra.rangeStart ? ip(extra.rangeStart) : undefined,
    rangeEnd: extra.rangeEnd ? ip(extra.rangeEnd) : undefined,
    gateway: extra.gateway ? ip(extra.gateway) : undefined,
  };
}

describe('canonicalizeRange: defaults (as the reference fills them)', () => {
  it.each([
    ['10.1.0.0/24', {}, '10.1.0.1-10.1.0.254', '10.1.0.1'],
    ['10.1.0.4/30', {}, '10.1.0.5-10.1.0.6', '10.1.0.5'],
    ['fd00::/120', {}, 'fd00::1-fd00::ff', 'fd00::1'], // IPv6: up to the last address of the subnet
    ['fd00::/64', {}, 'fd00::1-fd00::ffff:ffff:ffff:ffff', 'fd00::1'],
    ['10.1.0.0/24', { rangeStart: '10.1.0.10', rangeEnd: '10.1.0.20', gateway: '10.1.0.254' }, '10.1.0.10-10.1.0.20', '10.1.0.254'],
    ['10.1.0.0/24', { gateway: '10.9.0.1' }, '10.1.0.1-10.1.0.254', '10.9.0.1'], // outside the subnet: accepted, as the reference does
  ])('%s %j → %s gw %s', (subnet, extra, window, gateway) => {
    const r = canonicalizeRange(input(subnet, extra), 'ipam.ranges[0][0]');
    expect(formatRange(r)).toBe(window);
    expect(formatIp(r.gateway)).toBe(gateway);
  });
});

describe('canonicalizeRange: errors name the field (code 999, as the reference)', () => {
  it.each([
    ['10.1.0.5/32', {}, 'ipam.ranges[0][0].subnet: network 10.1.0.5/32 is too small to allocate from'],
    ['10.1.0.4/31', {}, 'ipam.ranges[0][0].subnet: network 10.1.0.4/31 is too small to allocate from'],
    ['fd00::/127', {}, 'ipam.ranges[0][0].subnet: network fd00::/127 is too small to allocate from'],
    ['10.1.0.5/24', {}, 'ipam.ranges[0][0].subnet: 10.1.0.5/24 has host bits set; for a prefix length of 24 the network address is 10.1.0.0'],
    ['10.1.0.0/24', { rangeStart: '10.2.0.5' }, 'ipam.ranges[0][0].rangeStart: 10.2.0.5 is not in network 10.1.0.0/24'],
    ['10.1.0.0/24', { rangeEnd: '10.2.0.5' }, 'ipam.ranges[0][0].rangeEnd: 10.2.0.5 is not in network 10.1.0.0/24'],
    ['10.1.0.0/24', { rangeStart: 'fd00::1' }, 'ipam.ranges[0][0].rangeStart: fd00::1 is not in network 10.1.0.0/24'],
    ['10.1.0.0/24', { rangeStart: '10.1.0.50', rangeEnd: '10.1.0.10' }, 'ipam.ranges[0][0].rangeStart: 10.1.0.50 is after rangeEnd 10.1.0.10'],
    ['10.1.0.0/24', { gateway: 'fd00::1' }, 'ipam.ranges[0][0].gateway: fd00::1 is not an IPv4 address like the subnet 10.1.0.0/24'],
  ])('%s %j', (subnet, extra, message) => {
    let caught: unknown;
    try {
      canonicalizeRange(input(subnet, extra), 'ipam.ranges[0][0]');
    } catch (err) {
      caught = err;
    }
    expect(isCniError(caught) && { code: caught.code, msg: caught.msg }).toEqual({ code: 999, msg: message });
  });
});

describe('membership', () => {
  const r = canonicalizeRange(input('10.1.0.0/24', { rangeStart: '10.1.0.0', rangeEnd: '10.1.0.255' }), 'p');
  it('contains exactly rangeStart..rangeEnd', () => {
    expect(rangeContains(r, ip('10.1.0.0'))).toBe(true);
    expect(rangeContains(r, ip('10.1.0.255'))).toBe(true);
    expect(rangeContains(r, ip('10.1.1.0'))).toBe(false);
  });
  it('never hands out the network, broadcast or gateway address', () => {
    expect(['10.1.0.0', '10.1.0.1', '10.1.0.255', '10.1.0.2'].map((a) => isReservedAddress(r, ip(a)))).toEqual([true, true, true, false]);
    const v6 = canonicalizeRange(input('fd00::/120', { rangeStart: 'fd00::' }), 'p');
    expect(['fd00::', 'fd00::1', 'fd00::ff'].map((a) => isReservedAddress(v6, ip(a)))).toEqual([true, true, false]);
  });
  it('overlaps by window, not by subnet', () => {
    const a = canonicalizeRange(input('10.1.0.0/24', { rangeEnd: '10.1.0.99' }), 'a');
    const b = canonicalizeRange(input('10.1.0.0/24', { rangeStart: '10.1.0.100' }), 'b');
    const c = canonicalizeRange(input('10.1.0.0/25'), 'c');
    expect(rangesOverlap(a, b)).toBe(false);
    expect(rangesOverlap(a, c)).toBe(true);
    expect(rangesOverlap(c, b)).toBe(true);
  });
});
