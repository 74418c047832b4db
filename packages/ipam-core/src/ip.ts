// IP addresses as plain values: a family and an unsigned integer. Allocation is arithmetic (next address, compare,
// range size), which bigint does exactly for both families, so the allocator never re-parses strings.
export type IpFamily = 4 | 6;

export interface Ip {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** Number of bits in an address of this family. */
export function familyBits(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

export function maxValue(family: IpFamily): bigint {
  return (1n << BigInt(familyBits(family))) - 1n;
}

const IPV4_DOTTED = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * Parses an address the way Go's net.ParseIP does: dotted-quad IPv4 without leading zeros, or IPv6 text (no zone).
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes the IPv4 address, as the reference canonicalises it.
 * Returns undefined for anything else.
 */
export function parseIp(text: string): Ip | undefined {
  const v4 = IPV4_DOTTED.exec(text);
  if (v4) {
    let value = 0n;
    for (let i = 1; i <= 4; i++) {
      const octet = Number(v4[i]);
      if (octet > 255) return undefined;
      value = (value << 8n) | BigInt(octet);
    }
    return { family: 4, value };
  }
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** IPv6 text (RFC 4291 2.2: hex groups, at most one "::", an optional dotted IPv4 tail) as a 128-bit value. */
function parseIpv6(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, isTail: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const words = part.split(':');
    for (const [i, word] of words.entries()) {
      if (isTail && i === words.length - 1 && word.includes('.')) {
        const v4 = parseIp(word);
        if (v4?.family !== 4) return undefined;
        out.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      } else if (HEX_GROUP.test(word)) {
        out.push(parseInt(word, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const ellipsis = halves.length === 2;
  const head = groupsOf(halves[0] as string, !ellipsis);
  const tail = ellipsis ? groupsOf(halves[1] as string, true) : [];
  if (!head || !tail) return undefined;
  const given = head.length + tail.length;
  if (ellipsis ? given > 7 : given !== 8) return undefined;
  const groups = [...head, ...new Array<number>(8 - given).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, the first longest run of 2+ zero groups as "::"). */
export function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    const v = ip.value;
    return `${(v >> 24n) & 255n}.${(v >> 16n) & 255n}.${(v >> 8n) & 255n}.${v & 255n}`;
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((ip.value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1; // a single zero group is never compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = (g: number[]) => g.map((n) => n.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

export function ipEquals(a: Ip, b: Ip): boolean {
  return a.family === b.family && a.value === b.value;
}

/** Orders IPv4 before IPv6, then numerically. */
export function compareIp(a: Ip, b: Ip): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** The address `delta` after `ip`, or undefined past the end of the family's space. */
export function offsetIp(ip: Ip, delta: bigint): Ip | undefined {
  const value = ip.value + delta;
  if (value < 0n || value > maxValue(ip.family)) return undefined;
  return { family: ip.family, value };
}

/** A stable string key for maps and sets (the canonical text). */
export function ipKey(ip: Ip): string {
  return formatIp(ip);
}

