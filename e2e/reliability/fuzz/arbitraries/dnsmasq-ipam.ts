// dnsmasq-ipam configs, mostly chained under bridge (the bridge creates the container interface the DHCP exchange
// runs on) and sometimes called standalone: subnet and range, gateway, routes, dns, hostnameArgs, timeouts kept
// short (a silent server costs timeoutMs x attempts per case), then targeted mutations. The run directory is
// always the world's (`confineRunDir`): its default is the machine's /run/cni/dnsmasq-ipam.
import * as fc from 'fast-check';
import { CNI_VERSIONS, hostileNetworkName, looseRecord, prevResult, rarely, secrets, wellFormedOrMutated } from './common.ts';

export interface DnsmasqWorld {
  network: string;
  runDir: string;
  bridge: string;
}

export const SUBNET = '10.204.0.0/24';
export const dnsmasqRequestedIp = fc.constantFrom('10.204.0.20', '10.204.0.21', '10.204.0.1', '10.204.0.255', '10.205.0.5');

export function cleanIpam(w: DnsmasqWorld): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      range: fc.constantFrom({}, { rangeStart: '10.204.0.10', rangeEnd: '10.204.0.250' }, { rangeStart: '10.204.0.20', rangeEnd: '10.204.0.22' }),
      rest: looseRecord({
        gateway: fc.constant('10.204.0.1'),
        routes: fc.array(fc.record({ dst: fc.constantFrom('0.0.0.0/0', '10.50.0.0/16'), gw: fc.constant('10.204.0.1') }, { requiredKeys: ['dst'] }), { maxLength: 2 }),
        hostnameArgs: fc.constantFrom(['K8S_POD_NAME'], ['K8S_POD_NAME', 'K8S_POD_NAMESPACE']),
        timeoutMs: fc.integer({ min: 200, max: 1000 }),
        attempts: fc.integer({ min: 1, max: 2 }),
        dnsmasqPath: fc.constant('/usr/sbin/dnsmasq'),
      }),
      dns: fc.record({ enable: fc.boolean(), domain: fc.constantFrom('fz.test', 'Cluster.Test'), forward: fc.constant(false) }, { requiredKeys: ['forward'] }),
    })
    .map(({ range, rest, dns }) => ({ type: 'dnsmasq-ipam', subnet: SUBNET, timeoutMs: 500, attempts: 1, ...range, ...rest, dns, runDir: w.runDir }));
}

export function cleanDnsmasqConfig(w: DnsmasqWorld): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      cniVersion: fc.constantFrom(...CNI_VERSIONS),
      ipam: cleanIpam(w),
      extra: looseRecord({ prevResult, isGateway: fc.boolean(), ipMasq: fc.constant(false), hairpinMode: fc.boolean() }),
      requested: rarely(fc.oneof(dnsmasqRequestedIp.map((ip) => ({ runtimeConfig: { ips: [`${ip}/24`] } })), dnsmasqRequestedIp.map((ip) => ({ args: { cni: { ips: [ip] } } }))), 8),
    })
    .map(({ cniVersion, ipam, extra, requested }) => ({ cniVersion, name: w.network, type: 'bridge', bridge: w.bridge, ...extra, ...requested, ipam }));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The ipam block always names the world's runDir; dnsmasqPath is dnsmasq, absent, or something that cannot run. */
export function confineRunDir(config: unknown, w: DnsmasqWorld): unknown {
  if (!isObject(config) || !isObject(config.ipam)) return config;
  const ipam: Record<string, unknown> = { ...config.ipam, runDir: w.runDir };
  const path = ipam.dnsmasqPath;
  if (typeof path === 'string' && path.startsWith('/') && path !== '/usr/sbin/dnsmasq' && !['/', '/tmp/x'].includes(path)) ipam.dnsmasqPath = '/nonexistent/dnsmasq';
  return { ...config, ipam };
}

export function dnsmasqConfig(w: DnsmasqWorld): fc.Arbitrary<{ config: unknown; secrets: string[] }> {
  return fc
    .record({ config: wellFormedOrMutated(cleanDnsmasqConfig(w)), secrets: rarely(secrets, 4), name: rarely(hostileNetworkName, 15) })
    .map(({ config, secrets: s, name }) => {
      let c = config;
      if (isObject(c) && name !== undefined) c = { ...c, name };
      if (isObject(c) && s) c = { ...c, ...s.top, ...(isObject(c.ipam) ? { ipam: { ...c.ipam, ...s.nested } } : {}) };
      return { config: confineRunDir(c, w), secrets: s?.values ?? [] };
    });
}
