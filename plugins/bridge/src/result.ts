// Assembling the ADD result (checklist 4.2 steps 7, 12 and 13), pure: interfaces in the reference's order
// (bridge, host veth, container veth, then the vlan gateway interface when there is one), the L3 part from the
// IPAM plan, and the config's `dns` replacing IPAM's when any of its fields is set.
import type { Dns, Interface, Result } from '@cni-ts/skel';

export interface ResultParts {
  bridge: { name: string; mac: string };
  hostVeth: { name: string; mac: string };
  container: { name: string; mac: string; sandbox: string };
  vlanInterface?: { name: string; mac: string } | undefined;
  /** The planned L3 result (ips, routes, dns), absent for L2-only. */
  l3?: Result | undefined;
  configDns?: DnsInput | undefined;
}

/** The config's `dns` as parsed (fields may be explicitly undefined). */
export type DnsInput = { [K in keyof Dns]?: Dns[K] | undefined };

/** Go's dnsConfSet: a list that is present (even empty) or a non-empty domain counts as set. */
export function dnsIsSet(dns: DnsInput | undefined): dns is DnsInput {
  return dns !== undefined && (dns.nameservers !== undefined || dns.search !== undefined || dns.options !== undefined || !!dns.domain);
}

const withoutUndefined = (dns: DnsInput): Dns =>
  Object.fromEntries(Object.entries(dns).filter(([, v]) => v !== undefined)) as Dns;

export function buildResult(parts: ResultParts): Result {
  const interfaces: Interface[] = [parts.bridge, parts.hostVeth, parts.container];
  if (parts.vlanInterface) interfaces.push(parts.vlanInterface);
  const result: Result = { interfaces };
  if (parts.l3?.ips) result.ips = parts.l3.ips;
  if (parts.l3?.routes) result.routes = parts.l3.routes;
  const dns = dnsIsSet(parts.configDns) ? withoutUndefined(parts.configDns) : parts.l3?.dns;
  if (dns) result.dns = dns;
  return result;
}
