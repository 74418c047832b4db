// Cheap textual checks for IP addresses and CIDRs in results, with Go's net.ParseIP/ParseCIDR acceptance
// (IPv4-mapped IPv6 included, zones not). ipaddr.js would do too, but results only need "valid?" and "which
// family?", and this keeps a plugin's start-up path free of it.

const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const hexGroup = /^[0-9a-fA-F]{1,4}$/;

function isIPv6(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (const [h, half] of halves.entries()) {
    if (half === '') continue;
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      const last = h === halves.length - 1 && i === parts.length - 1;
      if (last && part.includes('.')) {
        if (!v4.test(part)) return false;
        groups += 2;
      } else if (hexGroup.test(part)) groups += 1;
      else return false;
    }
  }
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

/** 4 or 6 for a valid address, else undefined. IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as 4, as Go's To4() does. */
export function ipFamily(s: string): 4 | 6 | undefined {
  if (v4.test(s)) return 4;
  if (!isIPv6(s)) return undefined;
  return /^(::|(0{1,4}:){5})ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(s) ? 4 : 6;
}

/** The family of "address/prefix" (prefix within the family's bit length), else undefined. */
export function cidrFamily(s: string): 4 | 6 | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const prefix = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return undefined;
  const textual = v4.test(addr) ? 4 : isIPv6(addr) ? 6 : undefined;
  if (textual === undefined || Number(prefix) > (textual === 4 ? 32 : 128)) return undefined;
  return ipFamily(addr);
}

export const isIp = (s: string): boolean => ipFamily(s) !== undefined;
export const isCidr = (s: string): boolean => cidrFamily(s) !== undefined;
