// One allocation range: a subnet and the start..end window inside it that addresses are handed out from.
// Canonicalisation follows the reference allocator (defaults, checks and their order); messages name the config field.
import { type Cidr, cidrContains, formatCidr, hasHostBits, lastAddress, networkAddress } from './cidr.ts';
import { invalidIpamConfig } from './errors.ts';
import { compareIp, familyBits, formatIp, type Ip, ipEquals, offsetIp } from './ip.ts';

/** A range as configured: only `subnet` is required. */
export interface RangeInput {
  readonly subnet: Cidr;
  readonly rangeStart?: Ip | undefined;
  readonly rangeEnd?: Ip | undefined;
  readonly gateway?: Ip | undefined;
}

/** A range with every default filled in and every check passed. */
export interface Range {
  /** The network, host bits clear. */
  readonly subnet: Cidr;
  readonly rangeStart: Ip;
  readonly rangeEnd: Ip;
  readonly gateway: Ip;
  /** Where the range came from in the config, e.g. `ipam.ranges[1][0]`, for error messages. */
  readonly path: string;
}

/**
 * Fills the reference's defaults and checks the range:
 * - the prefix leaves at least two host bits (no /31, /32, /127, /128);
 * - the subnet has no host bits set;
 * - gateway defaults to network + 1 (it may lie outside the subnet, as in the reference, but not in the other family);
 * - rangeStart defaults to network + 1, rangeEnd to the IPv4 broadcast - 1 or the last IPv6 address;
 *   both must lie in the subnet with rangeStart <= rangeEnd.
 */
export function canonicalizeRange(input: RangeInput, path: string): Range {
  const { subnet } = input;
  const family = subnet.ip.family;
  const bits = familyBits(family);
  if (subnet.prefix > bits - 2) {
    throw invalidIpamConfig(`${path}.subnet: network ${formatCidr(subnet)} is too small to allocate from`);
  }
  if (hasHostBits(subnet)) {
    const network = networkAddress(subnet);
    throw invalidIpamConfig(
      `${path}.subnet: ${formatCidr(subnet)} has host bits set; for a prefix length of ${subnet.prefix} ` +
        `the network address is ${formatIp(network)}`,
    );
  }
  const network = networkAddress(subnet);
  const last = lastAddress(subnet);
  const firstHost = offsetIp(network, 1n) as Ip; // safe: the prefix leaves at least two host bits
  const canonicalSubnet: Cidr = { ip: network, prefix: subnet.prefix };

  const gateway = input.gateway ?? firstHost;
  if (gateway.family !== family) {
    throw invalidIpamConfig(`${path}.gateway: ${formatIp(gateway)} is not an IPv${family} address like the subnet ${formatCidr(canonicalSubnet)}`);
  }

  const rangeEndLimit = input.rangeEnd;
  const rangeStart = input.rangeStart ?? firstHost;
  if (input.rangeStart && !inWindow(canonicalSubnet, input.rangeStart, undefined, rangeEndLimit)) {
    throw invalidIpamConfig(outsideMessage(`${path}.rangeStart`, input.rangeStart, canonicalSubnet, rangeEndLimit, 'end'));
  }
  const rangeEnd = input.rangeEnd ?? (family === 4 ? (offsetIp(last, -1n) as Ip) : last);
  if (input.rangeEnd && !inWindow(canonicalSubnet, input.rangeEnd, rangeStart, undefined)) {
    throw invalidIpamConfig(outsideMessage(`${path}.rangeEnd`, input.rangeEnd, canonicalSubnet, rangeStart, 'start'));
  }
  return { subnet: canonicalSubnet, rangeStart, rangeEnd, gateway, path };
}

function inWindow(subnet: Cidr, ip: Ip, start: Ip | undefined, end: Ip | undefined): boolean {
  if (!cidrContains(subnet, ip)) return false;
  if (start && compareIp(ip, start) < 0) return false;
  if (end && compareIp(ip, end) > 0) return false;
  return true;
}

function outsideMessage(field: string, ip: Ip, subnet: Cidr, other: Ip | undefined, otherName: 'start' | 'end'): string {
  if (!cidrContains(subnet, ip)) return `${field}: ${formatIp(ip)} is not in network ${formatCidr(subnet)}`;
  const relation = otherName === 'end' ? 'after rangeEnd' : 'before rangeStart';
  return `${field}: ${formatIp(ip)} is ${relation} ${other ? formatIp(other) : ''}`.trimEnd();
}

/** True if `ip` lies within rangeStart..rangeEnd of the range (the reference's Range.Contains). */
export function rangeContains(range: Range, ip: Ip): boolean {
  return inWindow(range.subnet, ip, range.rangeStart, range.rangeEnd);
}

/** True if the start..end windows of two ranges of one family share an address. */
export function rangesOverlap(a: Range, b: Range): boolean {
  if (a.subnet.ip.family !== b.subnet.ip.family) return false;
  return compareIp(a.rangeStart, b.rangeEnd) <= 0 && compareIp(b.rangeStart, a.rangeEnd) <= 0;
}

/** `start-end`, as the reference prints a range in its messages. */
export function formatRange(range: Range): string {
  return `${formatIp(range.rangeStart)}-${formatIp(range.rangeEnd)}`;
}

/**
 * Addresses inside the window that are never handed out: the gateway, the network address and the IPv4 broadcast
 * address. The reference skips only the gateway; its defaults exclude the other two, but an explicit
 * rangeStart/rangeEnd could include them, and a container given its subnet's broadcast address is broken.
 */
export function isReservedAddress(range: Range, ip: Ip): boolean {
  if (ipEquals(ip, range.gateway) || ipEquals(ip, range.subnet.ip)) return true;
  return ip.family === 4 && ipEquals(ip, lastAddress(range.subnet));
}
