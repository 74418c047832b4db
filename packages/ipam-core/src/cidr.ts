// CIDR prefixes: an address (host bits kept, as Go's net.ParseCIDR returns them) and a prefix length.
import { familyBits, formatIp, type Ip, maxValue, parseIp } from './ip.ts';

export interface Cidr {
  /** The address as written, host bits included (10.1.0.5 in 10.1.0.5/24). */
  readonly ip: Ip;
  readonly prefix: number;
}

/** Parses `addr/prefix` (Go's ParseCIDR rules: decimal prefix within the family's bits). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addrText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const ip = parseIp(addrText);
  if (!ip) return undefined;
  let prefix = Number(prefixText);
  // ::ffff:a.b.c.d/N names an IPv4 network with an IPv6-length prefix
  if (ip.family === 4 && addrText.includes(':')) {
    if (prefix < 96) return undefined;
    prefix -= 96;
  }
  if (prefix > familyBits(ip.family)) return undefined;
  return { ip, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.ip)}/${cidr.prefix}`;
}

function hostMask(cidr: Cidr): bigint {
  return (1n << BigInt(familyBits(cidr.ip.family) - cidr.prefix)) - 1n;
}

/** The first address of the prefix (host bits cleared). */
export function networkAddress(cidr: Cidr): Ip {
  const mask = maxValue(cidr.ip.family) ^ hostMask(cidr);
  return { family: cidr.ip.family, value: cidr.ip.value & mask };
}

/** The last address of the prefix (host bits set): the IPv4 broadcast address. */
export function lastAddress(cidr: Cidr): Ip {
  return { family: cidr.ip.family, value: networkAddress(cidr).value | hostMask(cidr) };
}

export function hasHostBits(cidr: Cidr): boolean {
  return (cidr.ip.value & hostMask(cidr)) !== 0n;
}

export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  if (ip.family !== cidr.ip.family) return false;
  return (ip.value & ~hostMask(cidr)) === networkAddress(cidr).value;
}
