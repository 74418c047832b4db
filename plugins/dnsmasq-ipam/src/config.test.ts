import { describe, expect, it } from 'vitest';
import { DnsmasqIpamConf } from './config.ts';
import { parseIpv4 } from './ipv4.ts';

const ip = (s: string): number => parseIpv4(s) ?? -1;
const netconf = (ipam: Record<string, unknown>, top: Record<string, unknown> = {}): unknown => ({
  cniVersion: '1.1.0', name: 'dqnet', type: 'bridge', bridge: 'dqbr0', ...top, ipam: { type: 'dnsmasq-ipam', ...ipam },
});
const issues = (input: unknown): string[] => {
  const r = DnsmasqIpamConf.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('DnsmasqIpamConf', () => {
  it('fills in every default from the subnet and the bridge', () => {
    expect(DnsmasqIpamConf.parse(netconf({ subnet: '10.202.0.0/24' }))).toEqual({
      name: 'dqnet',
      ipam: {
        subnet: { network: ip('10.202.0.0'), prefix: 24 },
        gateway: ip('10.202.0.1'), rangeStart: ip('10.202.0.2'), rangeEnd: ip('10.202.0.254'),
        interface: 'dqbr0', routes: [], dns: { enable: true, forward: true }, hostnameArgs: ['K8S_POD_NAME'],
        timeoutMs: 1000, attempts: 3, runDir: '/run/cni/dnsmasq-ipam', manageDnsmasq: true,
      },
    });
  });

  it('takes the design example as given', () => {
    const conf = DnsmasqIpamConf.parse(netconf({
      subnet: '10.202.0.0/24', gateway: '10.202.0.1', rangeStart: '10.202.0.10', rangeEnd: '10.202.0.250',
      routes: [{ dst: '0.0.0.0/0' }, { dst: '192.168.0.0/16', gw: '10.202.0.5' }],
      dns: { enable: true, domain: 'DQ.test', forward: false }, hostnameArgs: ['K8S_POD_NAME', 'NAME'],
      timeoutMs: 500, attempts: 2, runDir: '/tmp/x', dnsmasqPath: '/usr/sbin/dnsmasq', manageDnsmasq: false, interface: 'br1',
    }));
    expect(conf.ipam).toMatchObject({
      rangeStart: ip('10.202.0.10'), rangeEnd: ip('10.202.0.250'), interface: 'br1',
      routes: [{ dst: '0.0.0.0/0' }, { dst: '192.168.0.0/16', gw: '10.202.0.5' }],
      dns: { enable: true, domain: 'dq.test', forward: false }, timeoutMs: 500, attempts: 2, runDir: '/tmp/x',
      dnsmasqPath: '/usr/sbin/dnsmasq', manageDnsmasq: false,
    });
  });

  it('keeps a gateway at the end of the subnet out of the default range', () => {
    const conf = DnsmasqIpamConf.parse(netconf({ subnet: '10.9.0.0/29', gateway: '10.9.0.6' }));
    expect([conf.ipam.rangeStart, conf.ipam.rangeEnd]).toEqual([ip('10.9.0.1'), ip('10.9.0.5')]);
  });

  it('rejects an IPv6 or malformed subnet, naming ipam.subnet', () => {
    expect(issues(netconf({ subnet: 'fd00::/64' }))).toEqual(['ipam.subnet: IPv6 is not supported (dnsmasq-ipam serves IPv4 only), got "fd00::/64"']);
    expect(issues(netconf({ subnet: '10.0.0.0' }))).toEqual(['ipam.subnet: must be an IPv4 CIDR such as 10.22.0.0/16, got "10.0.0.0"']);
    expect(issues(netconf({ subnet: '10.0.0.0/31' }))[0]).toMatch(/^ipam\.subnet: \/31 leaves no room/);
    expect(issues(netconf({}))[0]).toMatch(/^ipam\.subnet: /);
  });

  it('checks gateway and range against the subnet, naming the field', () => {
    expect(issues(netconf({ subnet: '10.0.0.0/24', gateway: '10.0.1.1' }))).toEqual(['ipam.gateway: 10.0.1.1 is not a host address in ipam.subnet 10.0.0.0/24']);
    expect(issues(netconf({ subnet: '10.0.0.0/24', gateway: 'fd00::1' }))).toEqual(['ipam.gateway: IPv6 is not supported (dnsmasq-ipam serves IPv4 only), got "fd00::1"']);
    expect(issues(netconf({ subnet: '10.0.0.0/24', rangeStart: '10.0.0.0' }))).toEqual(['ipam.rangeStart: 10.0.0.0 is not a host address in ipam.subnet 10.0.0.0/24']);
    expect(issues(netconf({ subnet: '10.0.0.0/24', rangeEnd: '10.0.0.255' }))).toEqual(['ipam.rangeEnd: 10.0.0.255 is not a host address in ipam.subnet 10.0.0.0/24']);
    expect(issues(netconf({ subnet: '10.0.0.0/24', rangeStart: '10.0.0.50', rangeEnd: '10.0.0.40' }))).toEqual(['ipam.rangeEnd: 10.0.0.40 is before ipam.rangeStart 10.0.0.50']);
    expect(issues(netconf({ subnet: '10.0.0.0/24', rangeStart: 'x' }))).toEqual(['ipam.rangeStart: must be an IPv4 address, got "x"']);
  });

  it('needs an interface: ipam.interface or the network bridge', () => {
    expect(issues(netconf({ subnet: '10.0.0.0/24' }, { bridge: undefined }))).toEqual(['ipam.interface: required when the network config has no "bridge" (the bridge dnsmasq serves)']);
    expect(issues(netconf({ subnet: '10.0.0.0/24', interface: 'x'.repeat(16) }))[0]).toMatch(/^ipam\.interface: /);
    expect(issues(netconf({ subnet: '10.0.0.0/24', interface: 'a b' }))).toEqual(['ipam.interface: "a b" is not a valid interface name']);
    expect(issues(netconf({ subnet: '10.0.0.0/24' }, { bridge: 'br/0' }))).toEqual(['bridge: "br/0" is not a valid interface name']);
  });

  it('validates the other keys, naming each', () => {
    const bad = (key: string, value: unknown): string | undefined => issues(netconf({ subnet: '10.0.0.0/24', [key]: value }))[0];
    expect(bad('routes', [{ dst: 'nope' }])).toBe('ipam.routes.0.dst: must be an IPv4 CIDR such as 0.0.0.0/0');
    expect(bad('routes', [{ dst: '0.0.0.0/0', gw: 'x' }])).toBe('ipam.routes.0.gw: must be an IPv4 address');
    expect(bad('dns', { domain: 'bad domain' })).toBe('ipam.dns.domain: must be a DNS domain such as cluster.test');
    expect(bad('dns', { enable: 'yes' })).toMatch(/^ipam\.dns\.enable: /);
    expect(bad('hostnameArgs', [''])).toMatch(/^ipam\.hostnameArgs\.0: /);
    expect(bad('timeoutMs', 0)).toMatch(/^ipam\.timeoutMs: /);
    expect(bad('attempts', 1.5)).toMatch(/^ipam\.attempts: /);
    expect(bad('runDir', 'relative/dir')).toBe('ipam.runDir: must be an absolute path');
    expect(bad('dnsmasqPath', 'dnsmasq')).toBe('ipam.dnsmasqPath: must be an absolute path');
    expect(bad('manageDnsmasq', 'true')).toMatch(/^ipam\.manageDnsmasq: /);
  });
});
