// IP address text → ipaddr.js values, with a fast path for the usual case: a canonical dotted quad ("10.1.2.3").
// ipaddr.parse tries IPv6 first, so every IPv4 address it reads runs its large IPv6 regular expressions before the
// IPv4 ones, and V8 compiles each to native code on its second use; a bridge ADD parsed ~30 addresses that way
// (~0.2 MiB of its peak memory). A canonical dotted quad is read by hand into the same value ipaddr.parse would
// return; anything else (IPv6, octal or hex octets, leading zeros) still goes through ipaddr.js, with its checks.
import ipaddr from 'ipaddr.js';
import type { IpAddress } from './codec.ts';

/** The octets of a canonical dotted quad: four decimal numbers 0-255, no leading zeros. Else undefined. */
export function ipv4Octets(text: string): number[] | undefined {
  const octets: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e; // a '.' after the end closes the last octet
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || octets.length === 4) return undefined;
      octets.push(value);
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && value === 0) return undefined; // "010": ipaddr.js reads a leading zero as octal
      if (++digits > 3) return undefined;
      value = value * 10 + (c - 0x30);
    } else {
      return undefined;
    }
  }
  return octets.length === 4 ? octets : undefined;
}

/** ipaddr.parse(text); throws as it does. */
export function parseIpAddress(text: string): IpAddress {
  const octets = ipv4Octets(text);
  return octets ? new ipaddr.IPv4(octets) : ipaddr.parse(text);
}

/** A prefix length 0-32 written without leading zeros, else undefined. */
function ipv4PrefixLength(text: string): number | undefined {
  if (text.length === 0 || text.length > 2 || (text.length === 2 && text[0] === '0')) return undefined;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    value = value * 10 + (c - 0x30);
  }
  return value <= 32 ? value : undefined;
}

/** ipaddr.parseCIDR(text) as `{ address, prefixLen }`; throws as it does. */
export function parseCidr(text: string): { address: IpAddress; prefixLen: number } {
  const slash = text.indexOf('/');
  const octets = slash > 0 ? ipv4Octets(text.slice(0, slash)) : undefined;
  const prefixLen = octets ? ipv4PrefixLength(text.slice(slash + 1)) : undefined;
  if (octets && prefixLen !== undefined) return { address: new ipaddr.IPv4(octets), prefixLen };
  const [address, len] = ipaddr.parseCIDR(text);
  return { address, prefixLen: len };
}
