import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIp, formatIp, offsetIp, parseIp } from './ip.ts';

describe('parseIp / formatIp', () => {
  it.each([
    ['10.1.0.5', '10.1.0.5'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['fd00::5', 'fd00::5'],
    ['FD00:0:0:0:0:0:0:5', 'fd00::5'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal zero runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group stays
    ['::', '::'],
    ['::1', '::1'],
    ['fd00::', 'fd00::'],
    ['::ffff:10.1.2.3', '10.1.2.3'], // IPv4-mapped becomes IPv4, as the reference canonicalises
    ['::10.1.2.3', '::a01:203'],
  ])('%s → %s', (input, canonical) => {
    const ip = parseIp(input);
    expect(ip).toBeDefined();
    expect(formatIp(ip!)).toBe(canonical);
  });

  it.each(['1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::8', '::ffff:0:10.1.2.3'])('accepts %j', (input) => {
    expect(parseIp(input)?.family).toBe(6);
  });

  it('formats like the WHATWG URL serializer (RFC 5952) for any IPv6 value', () => {
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16)).join(':');
        const ip = parseIp(full)!;
        if (ip.family === 4) return; // ::ffff:a.b.c.d is taken as IPv4
        expect(formatIp(ip)).toBe(new URL(`http://[${full}]/`).hostname.slice(1, -1));
        expect(formatIp(parseIp(formatIp(ip))!)).toBe(formatIp(ip));
      }),
    );
  });

  it.each(['', 'foo', '1:2:3:4:5:6:7:8::', ':1::', '1::2::3', '12345::', '::ffff:1.2.3', '1:2:3:4:5:6:7',  '10.1.0', '10.1.0.256', '010.1.0.1', '10.1.0.1/24', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', ' 10.1.0.1', '0x0a.1.0.1'])(
    'rejects %j',
    (input) => {
      expect(parseIp(input)).toBeUndefined();
    },
  );
});

describe('arithmetic', () => {
  it('offsets within the family and stops at its ends', () => {
    expect(formatIp(offsetIp(parseIp('10.1.0.255')!, 1n)!)).toBe('10.1.1.0');
    expect(offsetIp(parseIp('255.255.255.255')!, 1n)).toBeUndefined();
    expect(offsetIp(parseIp('0.0.0.0')!, -1n)).toBeUndefined();
    expect(formatIp(offsetIp(parseIp('fd00::ffff')!, 1n)!)).toBe('fd00::1:0');
  });

  it('orders IPv4 before IPv6, then numerically', () => {
    const sorted = ['fd00::1', '10.0.0.2', '10.0.0.10', '::1'].map((s) => parseIp(s)!).sort(compareIp).map(formatIp);
    expect(sorted).toEqual(['10.0.0.2', '10.0.0.10', '::1', 'fd00::1']);
  });
});
