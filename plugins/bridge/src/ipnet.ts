// An address with its prefix, as CNI results carry it ("10.1.2.3/16"), parsed once into the parts the
// kernel and netfilter code need. ipaddr.js does the parsing; this file only names the parts.
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
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(text);
  } catch (cause) {
    throw new Error(`invalid CIDR address ${JSON.stringify(text)}`, { cause });
  }
  const [address, prefixLength] = parsed;
  const family: IpFamily = address.kind() === 'ipv4' ? 4 : 6;
  const ip = address.toString();
  const net = family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  return { ip, prefixLength, family, network: `${net.toString()}/${prefixLength}`, cidr: `${ip}/${prefixLength}` };
}

/** Parses a bare address ("10.1.2.3"); undefined when it is not one. */
export function parseIp(text: string): { ip: string; family: IpFamily } | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.parse(text);
  return { ip: address.toString(), family: address.kind() === 'ipv4' ? 4 : 6 };
}

/** The first host of the network: the gateway the reference computes when IPAM names none. */
export function firstHost(net: IpNet): string {
  const bytes = ipaddr.parse(net.network.split('/')[0] ?? '').toByteArray();
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = ((bytes[i] ?? 0) + 1) & 0xff;
    if (bytes[i] !== 0) break;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** Whether `ip` lies inside the network of `net`. */
export function contains(net: IpNet, ip: string): boolean {
  const address = ipaddr.parse(ip);
  const base = ipaddr.parse(net.ip);
  if (address.kind() !== base.kind()) return false;
  return address.match(base, net.prefixLength);
}
