// The network configuration dnsmasq-ipam reads (design §2.2), validated and normalised in one place: IPs become
// numbers, defaults are filled in, cross-field rules are checked, and every problem names its field.
import * as z from 'zod/mini'; // a namespace import: `{ z }` defeats tree shaking (+400 KB of zod)
import { PluginConf } from '@cni-ts/skel';
import { broadcastOf, formatIpv4, parseIpv4, parseIpv4Cidr, subnetContains } from './ipv4.ts';
import type { Ipv4Subnet } from './ipv4.ts';

function addIssue(ctx: z.core.ParsePayload, path: PropertyKey[], message: string, input: unknown): void {
  ctx.issues.push({ code: 'custom', message, input, path });
}

const ipv4Address = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
    const value = parseIpv4(text);
    if (value === undefined) {
      addIssue(ctx, [], text.includes(':') ? `IPv6 is not supported (dnsmasq-ipam serves IPv4 only), got "${text}"` : `must be an IPv4 address, got "${text}"`, text);
      return z.NEVER;
    }
    return value;
  }),
);

const ipv4Subnet = z.pipe(
  z.string(),
  z.transform((text: string, ctx): Ipv4Subnet => {
    const subnet = parseIpv4Cidr(text);
    if (subnet === undefined) {
      addIssue(ctx, [], text.includes(':') ? `IPv6 is not supported (dnsmasq-ipam serves IPv4 only), got "${text}"` : `must be an IPv4 CIDR such as 10.22.0.0/16, got "${text}"`, text);
      return z.NEVER;
    }
    if (subnet.prefix > 30) {
      addIssue(ctx, [], `/${subnet.prefix} leaves no room for a gateway and a container (at most /30)`, text);
      return z.NEVER;
    }
    return subnet;
  }),
);

const Route = z.object({
  dst: z.string().check(z.refine((s: string) => parseIpv4Cidr(s) !== undefined, 'must be an IPv4 CIDR such as 0.0.0.0/0')),
  gw: z.optional(z.string().check(z.refine((s: string) => parseIpv4(s) !== undefined, 'must be an IPv4 address'))),
});

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const Dns = z.object({
  enable: z._default(z.boolean(), true),
  domain: z.optional(z.string().check(z.refine((s: string) => DOMAIN.test(s), 'must be a DNS domain such as cluster.test'))),
  forward: z._default(z.boolean(), true),
});

const absolutePath = z.string().check(z.refine((s: string) => s.startsWith('/') && !/[\n\0]/.test(s), 'must be an absolute path'));

const IpamSection = z.object({
  type: z.string(),
  subnet: ipv4Subnet,
  gateway: z.optional(ipv4Address),
  rangeStart: z.optional(ipv4Address),
  rangeEnd: z.optional(ipv4Address),
  interface: z.optional(z.string().check(z.minLength(1), z.maxLength(15))),
  routes: z._default(z.array(Route), []),
  dns: z._default(Dns, { enable: true, forward: true }),
  hostnameArgs: z._default(z.array(z.string().check(z.minLength(1))), ['K8S_POD_NAME']),
  timeoutMs: z._default(z.int().check(z.minimum(1), z.maximum(60_000)), 1000),
  attempts: z._default(z.int().check(z.minimum(1), z.maximum(20)), 3),
  runDir: z._default(absolutePath, '/run/cni/dnsmasq-ipam'),
  dnsmasqPath: z.optional(absolutePath),
  manageDnsmasq: z._default(z.boolean(), true),
});

/** The resolved ipam section: every default filled in, addresses as numbers. */
export interface IpamSettings {
  subnet: Ipv4Subnet;
  gateway: number;
  rangeStart: number;
  rangeEnd: number;
  interface: string;
  routes: Array<{ dst: string; gw?: string }>;
  dns: { enable: boolean; domain?: string; forward: boolean };
  hostnameArgs: string[];
  timeoutMs: number;
  attempts: number;
  runDir: string;
  dnsmasqPath?: string;
  manageDnsmasq: boolean;
}

export interface DnsmasqIpamConf {
  name: string;
  ipam: IpamSettings;
}

export const DnsmasqIpamConf = z.pipe(
  z.extend(PluginConf, {
    bridge: z.optional(z.string()),
    ipam: IpamSection,
  }),
  z.transform((conf, ctx): DnsmasqIpamConf => {
    const ipam = conf.ipam;
    const { subnet } = ipam;
    const firstHost = subnet.network + 1;
    const lastHost = broadcastOf(subnet) - 1;
    const usable = (value: number): boolean => subnetContains(subnet, value) && value >= firstHost && value <= lastHost;
    const at = (key: string): PropertyKey[] => ['ipam', key];
    const subnetText = `${formatIpv4(subnet.network)}/${subnet.prefix}`;

    const gateway = ipam.gateway ?? firstHost;
    if (!usable(gateway)) addIssue(ctx, at('gateway'), `${formatIpv4(gateway)} is not a host address in ipam.subnet ${subnetText}`, ipam.gateway);
    // Defaults span the subnet's hosts minus a gateway sitting at either end; dnsmasq never leases its own address.
    let rangeStart = ipam.rangeStart ?? (firstHost === gateway ? firstHost + 1 : firstHost);
    let rangeEnd = ipam.rangeEnd ?? (lastHost === gateway ? lastHost - 1 : lastHost);
    if (!usable(rangeStart)) addIssue(ctx, at('rangeStart'), `${formatIpv4(rangeStart)} is not a host address in ipam.subnet ${subnetText}`, ipam.rangeStart);
    if (!usable(rangeEnd)) addIssue(ctx, at('rangeEnd'), `${formatIpv4(rangeEnd)} is not a host address in ipam.subnet ${subnetText}`, ipam.rangeEnd);
    if (rangeStart > rangeEnd) addIssue(ctx, at('rangeEnd'), `${formatIpv4(rangeEnd)} is before ipam.rangeStart ${formatIpv4(rangeStart)}`, ipam.rangeEnd);
    if (rangeStart === gateway && rangeEnd === gateway) addIssue(ctx, at('rangeStart'), 'the range holds only the gateway address', ipam.rangeStart);

    const iface = ipam.interface ?? conf.bridge;
    if (iface === undefined || iface === '') addIssue(ctx, at('interface'), 'required when the network config has no "bridge" (the bridge dnsmasq serves)', ipam.interface);
    else if (iface.length > 15 || /[\s/:]/.test(iface)) addIssue(ctx, ipam.interface === undefined ? ['bridge'] : at('interface'), `"${iface}" is not a valid interface name`, iface);

    const settings: IpamSettings = {
      subnet,
      gateway,
      rangeStart,
      rangeEnd,
      interface: iface ?? '',
      routes: ipam.routes.map((r) => (r.gw === undefined ? { dst: r.dst } : { dst: r.dst, gw: r.gw })),
      dns: ipam.dns.domain === undefined ? { enable: ipam.dns.enable, forward: ipam.dns.forward } : { ...ipam.dns, domain: ipam.dns.domain.toLowerCase() },
      hostnameArgs: ipam.hostnameArgs,
      timeoutMs: ipam.timeoutMs,
      attempts: ipam.attempts,
      runDir: ipam.runDir,
      manageDnsmasq: ipam.manageDnsmasq,
    };
    if (ipam.dnsmasqPath !== undefined) settings.dnsmasqPath = ipam.dnsmasqPath;
    return { name: conf.name, ipam: settings };
  }),
);
