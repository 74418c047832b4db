import { describe, expect, it } from 'vitest';
import { parseCniArgs } from '@cni-ts/skel';
import { requestedAddress } from './requested-ip.ts';
import { DnsmasqIpamConf } from './config.ts';
import { parseIpv4 } from './ipv4.ts';

const { ipam } = DnsmasqIpamConf.parse({ name: 'n', bridge: 'br0', ipam: { type: 'dnsmasq-ipam', subnet: '10.202.0.0/24', rangeStart: '10.202.0.10', rangeEnd: '10.202.0.250' } });
const ask = (raw: Record<string, unknown>, cniArgs = ''): number | undefined => requestedAddress(raw, parseCniArgs(cniArgs), ipam);

describe('requestedAddress', () => {
  it('reads runtimeConfig.ips (any key case), then args.cni.ips, then CNI_ARGS IP', () => {
    expect(ask({})).toBeUndefined();
    expect(ask({ runtimeConfig: { ips: ['fd00::5/64', '10.202.0.50/24'] } }, 'IP=10.202.0.60')).toBe(parseIpv4('10.202.0.50'));
    expect(ask({ runtimeConfig: { IPs: ['10.202.0.51'] } })).toBe(parseIpv4('10.202.0.51'));
    expect(ask({ args: { cni: { ips: ['10.202.0.52'] } } }, 'IP=10.202.0.60')).toBe(parseIpv4('10.202.0.52'));
    expect(ask({}, 'IgnoreUnknown=1;IP=10.202.0.60')).toBe(parseIpv4('10.202.0.60'));
    expect(ask({ runtimeConfig: { ips: ['fd00::5'] } })).toBeUndefined();
  });

  it('rejects malformed entries naming the field (7) and impossible addresses (104)', () => {
    expect(() => ask({ runtimeConfig: { ips: [5] } })).toThrow(expect.objectContaining({ code: 7, msg: 'invalid config: runtimeConfig.ips[0]: expected an IP address string' }));
    expect(() => ask({}, 'IP=banana')).toThrow(expect.objectContaining({ code: 7, msg: 'invalid config: CNI_ARGS IP: "banana" is not an IP address' }));
    expect(() => ask({}, 'IP=10.9.0.5')).toThrow(expect.objectContaining({ code: 104, msg: 'requested IP 10.9.0.5 unavailable', details: 'outside ipam.subnet 10.202.0.0/24' }));
    expect(() => ask({}, 'IP=10.202.0.5')).toThrow(expect.objectContaining({ code: 104, details: 'outside the DHCP range 10.202.0.10-10.202.0.250' }));
  });
});
