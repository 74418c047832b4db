import { describe, expect, it } from 'vitest';
import { isCniError } from '@cni-ts/skel';
import { canonicalizeRangeSets, formatRangeSet } from './range-set.ts';
import { DnsConf, parseAt, parseIpRanges, RouteConf, toResultDns, toResultRoutes } from './schema.ts';
import * as z from 'zod/mini';

const sets = (value: unknown) => canonicalizeRangeSets(parseIpRanges(value), { cniVersion: '1.0.0', field: 'runtimeConfig.ipRanges' });

describe('ipRanges capability', () => {
  it('takes the nested form (a list of range sets)', () => {
    const got = sets([[{ subnet: '10.5.0.0/24', rangeStart: '10.5.0.9' }], [{ subnet: 'fd05::/120' }]]);
    expect(got.map(formatRangeSet)).toEqual(['10.5.0.9-10.5.0.254', 'fd05::1-fd05::ff']);
  });

  it("takes containerd's flat form with capitalised keys as one range set", () => {
    const got = sets([{ Subnet: '10.5.0.0/24', RangeStart: '10.5.0.9', RangeEnd: '10.5.0.20', Gateway: '10.5.0.1' }, { Subnet: '10.6.0.0/24' }]);
    expect(got.map(formatRangeSet)).toEqual(['10.5.0.9-10.5.0.20,10.6.0.1-10.6.0.254']);
    expect(got[0]!.ranges.map((r) => r.path)).toEqual(['runtimeConfig.ipRanges[0]', 'runtimeConfig.ipRanges[1]']);
  });

  it('names the field of a bad entry in either form', () => {
    const msg = (v: unknown) => {
      try {
        parseIpRanges(v);
      } catch (e) {
        return isCniError(e) ? `${e.code} ${e.msg}` : String(e);
      }
      return 'ok';
    };
    expect(msg([{ Subnet: 'bad' }])).toBe('999 runtimeConfig.ipRanges[0].subnet: invalid CIDR address: "bad"');
    expect(msg([[{ subnet: '10.0.0.0/8' }, { subnet: 'x' }]])).toBe('999 runtimeConfig.ipRanges[0][1].subnet: invalid CIDR address: "x"');
    expect(msg('x')).toBe('999 runtimeConfig.ipRanges: expected array, got string');
    expect(msg(null)).toBe('ok');
  });
});

describe('routes and dns', () => {
  it('canonicalises routes and keeps host bits in dst as Go prints them', () => {
    const routes = parseAt(z.array(RouteConf), [{ dst: '0.0.0.0/0' }, { DST: 'FD00:0::/64', gw: 'fd00::1', mtu: 1400, table: 0 }, { dst: '10.9.9.9/8' }], 'ipam.routes');
    expect(toResultRoutes(routes)).toEqual([{ dst: '0.0.0.0/0' }, { dst: 'fd00::/64', gw: 'fd00::1', mtu: 1400, table: 0 }, { dst: '10.9.9.9/8' }]);
  });

  it.each([
    [[{ dst: 'x' }], 'ipam.routes[0].dst: invalid CIDR address: "x"'],
    [[{ dst: '0.0.0.0/0', gw: 'y' }], 'ipam.routes[0].gw: invalid IP address: "y"'],
    [[{ gw: '10.1.0.1' }], 'ipam.routes[0].dst: expected string, got undefined'],
    ['x', 'ipam.routes: expected array, got string'],
  ])('rejects %j', (value, msg) => {
    expect(() => parseAt(z.array(RouteConf), value, 'ipam.routes')).toThrow(msg);
  });

  it('copies dns and treats null as absent', () => {
    expect(toResultDns(parseAt(DnsConf, { nameservers: ['8.8.8.8'], domain: null, Search: ['a'] }, 'ipam.dns'))).toEqual({ nameservers: ['8.8.8.8'], search: ['a'] });
    expect(() => parseAt(DnsConf, { nameservers: '8.8.8.8' }, 'ipam.dns')).toThrow('ipam.dns.nameservers: expected array, got string');
  });
});
