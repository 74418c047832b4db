import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { broadcastOf, formatIpv4, maskPrefix, parseIpv4, parseIpv4Cidr, prefixMask, subnetContains } from './ipv4.ts';

describe('ipv4', () => {
  it('round-trips every address and rejects non-dotted-quad text', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (n) => {
      expect(parseIpv4(formatIpv4(n))).toBe(n);
    }));
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-4', '::1', ' 1.2.3.4']) expect(parseIpv4(bad)).toBeUndefined();
  });

  it('parses CIDRs, masks and subnets', () => {
    expect(parseIpv4Cidr('10.1.2.3/16')).toEqual({ network: parseIpv4('10.1.0.0'), prefix: 16 });
    expect(parseIpv4Cidr('10.1.2.3/33')).toBeUndefined();
    expect(parseIpv4Cidr('10.1.2.3')).toBeUndefined();
    expect(prefixMask(24)).toBe(0xffffff00);
    expect(prefixMask(0)).toBe(0);
    expect(maskPrefix(0xfffffc00)).toBe(22);
    expect(maskPrefix(0xff00ff00)).toBeUndefined();
    const subnet = { network: parseIpv4('10.9.0.0') ?? 0, prefix: 29 };
    expect(formatIpv4(broadcastOf(subnet))).toBe('10.9.0.7');
    expect(subnetContains(subnet, parseIpv4('10.9.0.7') ?? 0)).toBe(true);
    expect(subnetContains(subnet, parseIpv4('10.9.0.8') ?? 0)).toBe(false);
  });
});
