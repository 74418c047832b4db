// static's configuration: the zod/mini schema is the single source of its keys and types (checklist 6).
//
// skel validates only the network name; everything else is parsed here and a failure is code 999 naming the field,
// as the reference static returns 999 for every bad config (see ipam-core errors.ts).
import { ciObject, type CommandContext, PluginConf } from '@cni-ts/skel';
import {
  type Cidr,
  CidrAddress,
  cidrContains,
  DnsConf,
  formatCidr,
  formatIp,
  invalidIpamConfig,
  type Ip,
  IpAddress,
  multipleAddressesAllowed,
  nullable,
  parseAt,
  parseCidr,
  parseIp,
  pickRequestedIps,
  type RequestedIpSource,
  RouteConf,
  splitCniArgsList,
  toResultDns,
  toResultRoutes,
  tooManyAddressesError,
} from '@cni-ts/ipam-core';
import type { Dns, IpConfig, Route } from '@cni-ts/skel';
import * as z from 'zod/mini';

const StaticAddress = ciObject({
  /** CIDR with host bits: the address and its prefix (10.10.0.1/24) */
  address: CidrAddress,
  gateway: nullable(IpAddress),
});

const StaticIpam = ciObject({
  type: nullable(z.string()),
  addresses: nullable(z.array(StaticAddress)),
  routes: nullable(z.array(RouteConf)),
  dns: nullable(DnsConf),
});

/** The whole stdin config as static reads it (the generic keys are skel's PluginConf). */
export const StaticConf = z.extend(PluginConf, {
  ipam: StaticIpam,
  // the `ips` capability and args.cni.ips: CIDRs (the prefix is required for static)
  runtimeConfig: nullable(ciObject({ ips: nullable(z.array(CidrAddress)) })),
  args: nullable(ciObject({ cni: nullable(ciObject({ ips: nullable(z.array(CidrAddress)) })) })),
});

/** What skel validates for static: only the network name (see plugin.ts). */
export interface SkelConf {
  name: string;
}

export interface StaticAddressConf {
  readonly address: Cidr;
  readonly gateway?: Ip | undefined;
}

export interface StaticConfig {
  readonly addresses: readonly StaticAddressConf[];
  /** Which source replaced or extended `ipam.addresses`, if any. */
  readonly source?: RequestedIpSource;
  readonly routes: readonly Route[];
  readonly dns?: Dns | undefined;
}

type Ctx = Pick<CommandContext<SkelConf>, 'raw' | 'args' | 'cniVersion'>;

/**
 * The addresses to hand out: `ipam.addresses`, replaced by args.cni.ips or runtimeConfig.ips (in that order of
 * precedence), or extended by CNI_ARGS IP (with CNI_ARGS GATEWAY applied to those) when neither is given.
 */
export function loadStaticConfig(ctx: Ctx): StaticConfig {
  if (ctx.raw.ipam === undefined || ctx.raw.ipam === null) throw invalidIpamConfig("ipam: IPAM config missing 'ipam' key");
  const conf = parseAt(StaticConf, ctx.raw, '');
  const configured: StaticAddressConf[] = (conf.ipam.addresses ?? []).map((a) => ({ address: a.address, gateway: a.gateway }));
  // CNI_ARGS (deprecated) counts only when neither structured source names an address: it is not even parsed then.
  const picked = pickRequestedIps({ argsIps: conf.args?.cni?.ips, runtimeIps: conf.runtimeConfig?.ips });
  let addresses: StaticAddressConf[];
  let source: RequestedIpSource | undefined;
  if (picked) {
    addresses = picked.ips.map((address) => ({ address }));
    source = picked.source;
  } else {
    const fromArgs = cniArgsAddresses(ctx);
    addresses = [...configured, ...fromArgs];
    if (fromArgs.length > 0) source = 'CNI_ARGS IP';
  }
  for (const [i, a] of addresses.entries()) {
    if (a.gateway && a.gateway.family !== a.address.ip.family) {
      throw invalidIpamConfig(`${addressPath(source, i, configured.length)}.gateway: ${formatIp(a.gateway)} is not in the address family of ${formatCidr(a.address)}`);
    }
  }
  if (!multipleAddressesAllowed(ctx.cniVersion)) {
    for (const family of [4, 6] as const) {
      if (addresses.filter((a) => a.address.ip.family === family).length > 1) throw tooManyAddressesError(ctx.cniVersion);
    }
  }
  return {
    addresses,
    ...(source ? { source } : {}),
    routes: toResultRoutes(conf.ipam.routes ?? []),
    dns: toResultDns(conf.ipam.dns),
  };
}

function addressPath(source: RequestedIpSource | undefined, i: number, configuredCount: number): string {
  if (source === 'args.cni.ips' || source === 'runtimeConfig.ips') return `${source}[${i}]`;
  return i < configuredCount ? `ipam.addresses[${i}]` : 'CNI_ARGS IP';
}

/** CNI_ARGS `IP=cidr,cidr` and `GATEWAY=ip,ip`: each gateway goes to the CNI_ARGS addresses whose subnet holds it. */
function cniArgsAddresses(ctx: Ctx): StaticAddressConf[] {
  const addresses = splitCniArgsList(ctx.args.get('IP')).map((text) => {
    const address = parseCidr(text);
    if (!address) throw invalidIpamConfig(`CNI_ARGS IP: expected CIDR notation (e.g. 10.10.0.1/24), got ${JSON.stringify(text)}`);
    return { address, gateway: undefined as Ip | undefined };
  });
  for (const text of splitCniArgsList(ctx.args.get('GATEWAY'))) {
    const gateway = parseIp(text);
    if (!gateway) throw invalidIpamConfig(`CNI_ARGS GATEWAY: invalid IP address: ${JSON.stringify(text)}`);
    for (const a of addresses) if (cidrContains(a.address, gateway)) a.gateway = gateway;
  }
  return addresses;
}

/** A result address: the CIDR as configured (host bits kept) and its gateway. */
export function toIpConfig(a: StaticAddressConf): IpConfig {
  return a.gateway ? { address: formatCidr(a.address), gateway: formatIp(a.gateway) } : { address: formatCidr(a.address) };
}
