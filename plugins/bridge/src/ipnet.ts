// An address with its prefix, as CNI results carry it ("10.1.2.3/16"), parsed once into the parts the
// kernel and netfilter code need. netlink's parseCidr/parseIpAddress (ipaddr.js, with a regex-free fast path for
// dotted quads) do the parsing; this file only names the parts.
import { parseCidr, parseIpAddress } from '@cni-ts/netlink';
import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

export interface IpNet {
  /** The host address in canonical text form: "10.1.2.3", "fd00::2". */
  ip: string;
  prefixLength: number;
  family: IpFamily;
  /** The network the address is in, canonical: "10.1.0.0/16". */
  network: string;
  /** Host address and prefix, canonical: "10.1.2.3/16". */
  cidr: string;
}

/** Parses "addr/len"; throws a plain Error naming the text when it is not a CIDR. */
export function parseIpNet(text: string): IpNet {
  let parsed: { address: ipaddr.IPv4 | ipaddr.IPv6; prefixLen: number };
  try {
    parsed = parseCidr(text);
  } catch (cause) {
    throw new Error(`invalid CIDR address ${JSON.stringify(text)}`, { cause });
  }
  const { address, prefixLen: prefixLength } = parsed;
  const family: IpFamily = address.kind() === 'ipv4' ? 4 : 6;
  const ip = address.toString();
  return { ip, prefixLength, family, network: `${networkOf(address, prefixLength).toString()}/${prefixLength}`, cidr: `${ip}/${prefixLength}` };
}

/** The address with its host bits cleared (ipaddr's networkAddressFromCIDR, without parsing the text again). */
function networkOf(address: ipaddr.IPv4 | ipaddr.IPv6, prefixLength: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.min(8, Math.max(0, prefixLength - i * 8)); // bits of this byte inside the prefix
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return ipaddr.fromByteArray(bytes);
}

/** Parses a bare address ("10.1.2.3"); undefined when it is not one. */
export function parseIp(text: string): { ip: string; family: IpFamily } | undefined {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = parseIpAddress(text); // ipaddr.parse throws exactly when ipaddr.isValid is false
  } catch {
    return undefined;
  }
  return { ip: address.toString(), family: address.kind() === 'ipv4' ? 4 : 6 };
}

/** The first host of the network: the gateway the reference computes when IPAM names none. */
export function firstHost(net: IpNet): string {
  const bytes = parseIpAddress(net.network.split('/')[0] ?? '').toByteArray();
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = ((bytes[i] ?? 0) + 1) & 0xff;
    if (bytes[i] !== 0) break;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** Whether `ip` lies inside the network of `net`. */
export function contains(net: IpNet, ip: string): boolean {
  const address = parseIpAddress(ip);
  const base = parseIpAddress(net.ip);
  if (address.kind() !== base.kind()) return false;
  return address.match(base, net.prefixLength);
}
