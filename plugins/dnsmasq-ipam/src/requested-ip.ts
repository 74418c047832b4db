// A specific address the runtime asks for (design §2.2): the `ips` capability (runtimeConfig.ips), else
// args.cni.ips, else CNI_ARGS IP= (CONVENTIONS.md: args.cni wins over CNI_ARGS). It is sent as option 50, and the
// ACK is compared with it, because dnsmasq silently hands out another address when the one asked for is taken.
import { CniError, ErrorCode, conventionArg } from '@cni-ts/skel';
import type { CniArgs } from '@cni-ts/skel';
import { requestedAddressUnavailable } from './errors.ts';
import { formatIpv4, parseIpv4, subnetContains } from './ipv4.ts';
import type { IpamSettings } from './config.ts';

interface Source {
  field: string;
  values: unknown;
}

function findSource(raw: Record<string, unknown>, args: CniArgs): Source | undefined {
  const runtimeConfig = raw.runtimeConfig;
  if (typeof runtimeConfig === 'object' && runtimeConfig !== null) {
    // containerd sends capability keys with Go field casing, so match the key case-insensitively.
    const key = Object.keys(runtimeConfig).find((k) => k.toLowerCase() === 'ips');
    if (key !== undefined) return { field: `runtimeConfig.${key}`, values: (runtimeConfig as Record<string, unknown>)[key] };
  }
  const convention = conventionArg({ raw, args }, { args: 'ips', cniArgs: 'IP' });
  if (convention?.source === 'args') return { field: 'args.cni.ips', values: convention.value };
  if (convention?.source === 'CNI_ARGS') return { field: 'CNI_ARGS IP', values: convention.value };
  return undefined;
}

/**
 * The one IPv4 address requested for this attachment, or undefined. "ip" and "ip/prefix" are accepted (the prefix
 * is ignored, as host-local does); IPv6 entries are skipped (dnsmasq-ipam serves IPv4). An address dnsmasq cannot
 * give (outside the subnet or the range) fails now with 104, before any DHCP traffic.
 */
export function requestedAddress(raw: Record<string, unknown>, args: CniArgs, ipam: IpamSettings): number | undefined {
  const source = findSource(raw, args);
  if (!source) return undefined;
  const list: unknown[] = Array.isArray(source.values) ? source.values : typeof source.values === 'string' ? source.values.split(',') : [source.values];
  for (const [i, entry] of list.entries()) {
    const text = typeof entry === 'string' ? entry.trim() : undefined;
    const field = Array.isArray(source.values) || list.length > 1 ? `${source.field}[${i}]` : source.field;
    if (text === undefined) throw new CniError(ErrorCode.InvalidNetworkConfig, `invalid config: ${field}: expected an IP address string`);
    const address = text.split('/')[0] ?? '';
    if (address.includes(':')) continue;
    const value = parseIpv4(address);
    if (value === undefined) throw new CniError(ErrorCode.InvalidNetworkConfig, `invalid config: ${field}: "${text}" is not an IP address`);
    if (!subnetContains(ipam.subnet, value)) {
      throw requestedAddressUnavailable(address, `outside ipam.subnet ${formatIpv4(ipam.subnet.network)}/${ipam.subnet.prefix}`);
    }
    if (ipam.manageDnsmasq && (value < ipam.rangeStart || value > ipam.rangeEnd)) {
      throw requestedAddressUnavailable(address, `outside the DHCP range ${formatIpv4(ipam.rangeStart)}-${formatIpv4(ipam.rangeEnd)}`);
    }
    if (value === ipam.gateway) throw requestedAddressUnavailable(address, 'it is the gateway (dnsmasq\'s own address)');
    return value;
  }
  return undefined;
}
