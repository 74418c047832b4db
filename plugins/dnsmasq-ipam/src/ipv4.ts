// IPv4 addresses as unsigned 32-bit numbers: dnsmasq-ipam is IPv4 only (DHCPv4), and ranges, masks and pool sizes
// are plain arithmetic on these numbers.

/** Parses dotted-quad IPv4 text ("10.0.0.1"); undefined for anything else (no leading zeros, no IPv6). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export function readIpv4(bytes: Uint8Array, offset = 0): number {
  return ((bytes[offset] ?? 0) * 2 ** 24) + (((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0));
}

export function ipv4Bytes(value: number): Uint8Array {
  return Uint8Array.of(value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255);
}

/** Netmask of a prefix length as a number (prefix 24 → 0xffffff00). */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Prefix length of a contiguous netmask, or undefined when the mask has holes. */
export function maskPrefix(mask: number): number | undefined {
  for (let prefix = 0; prefix <= 32; prefix++) if (prefixMask(prefix) === mask >>> 0) return prefix;
  return undefined;
}

export interface Ipv4Subnet {
  /** Network address (host bits zero). */
  network: number;
  prefix: number;
}

/** Parses "a.b.c.d/n"; host bits are cleared, as Go's net.ParseCIDR does for the network. */
export function parseIpv4Cidr(text: string): Ipv4Subnet | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^(0|[1-9][0-9]?)$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  return { network: (address & prefixMask(prefix)) >>> 0, prefix };
}

export function subnetContains(subnet: Ipv4Subnet, address: number): boolean {
  return ((address & prefixMask(subnet.prefix)) >>> 0) === subnet.network;
}

export function broadcastOf(subnet: Ipv4Subnet): number {
  return (subnet.network | ~prefixMask(subnet.prefix)) >>> 0;
}

export function formatCidr(address: number, prefix: number): string {
  return `${formatIpv4(address)}/${prefix}`;
}
