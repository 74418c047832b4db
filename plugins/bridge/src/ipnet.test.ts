// ipnet.ts reads addresses through netlink's fast path; what it returns must be what ipaddr.js alone gives.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, test } from 'vitest';
import { contains, firstHost, type IpNet, parseIp, parseIpNet } from './ipnet.ts';

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('010', '0x1f', '256'));
const v4 = fc.array(octet, { minLength: 4, maxLength: 4 }).map((o) => o.join('.'));
const v6 = fc.constantFrom('fd00::2', '2001:db8::1', '::ffff:10.1.2.3', '::', 'fe80::1%eth0');
const cidr = fc.tuple(fc.oneof(v4, v6), fc.integer({ min: 0, max: 130 })).map(([a, p]) => `${a}/${p}`);

/** parseIpNet as it was, on ipaddr.js alone. */
function reference(text: string): IpNet {
  const [address, prefixLength] = ipaddr.parseCIDR(text);
  const family = address.kind() === 'ipv4' ? 4 : 6 as const;
  const net = family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  const ip = address.toString();
  return { ip, prefixLength, family, network: `${net.toString()}/${prefixLength}`, cidr: `${ip}/${prefixLength}` };
}

const result = <T>(f: () => T): T | 'throws' => {
  try {
    return f();
  } catch {
    return 'throws';
  }
};

describe('ipnet', () => {
  test('parseIpNet: the parts ipaddr.js gives, and an error where it throws', () => {
    fc.assert(fc.property(cidr, (text) => {
      expect(result(() => parseIpNet(text))).toEqual(result(() => reference(text)));
    }), { numRuns: 1000 });
  });

  test('parseIp, firstHost and contains agree with ipaddr.js', () => {
    fc.assert(fc.property(fc.oneof(v4, v6), cidr, (text, net) => {
      const theirs = ipaddr.isValid(text) ? { ip: ipaddr.parse(text).toString(), family: ipaddr.parse(text).kind() === 'ipv4' ? 4 : 6 } : undefined;
      expect(parseIp(text)).toEqual(theirs);
      const n = result(() => reference(net));
      if (n === 'throws') return;
      const first = ipaddr.parse(n.network.split('/')[0] ?? '').toByteArray();
      for (let i = first.length - 1; i >= 0; i--) if ((first[i] = ((first[i] ?? 0) + 1) & 0xff) !== 0) break;
      expect(firstHost(n)).toBe(ipaddr.fromByteArray(first).toString());
      if (theirs) {
        const a = ipaddr.parse(text);
        const b = ipaddr.parse(n.ip);
        expect(contains(n, text)).toBe(a.kind() === b.kind() && a.match(b, n.prefixLength));
      }
    }), { numRuns: 1000 });
  });
});
