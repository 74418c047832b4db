// ensureAddr: a gateway address on the bridge (or the vlan gateway interface), idempotent and race-safe.
// IPv4: one address per bridge; any other one is a conflict unless forceAddress replaces it. IPv6: several
// addresses may coexist as long as their prefixes do not overlap.
import type { Handle, Link } from '@cni-ts/netlink';
import { isNetlinkError, parseIpAddress } from '@cni-ts/netlink';
import { contains, type IpNet, parseIpNet } from '../ipnet.ts';

export async function ensureAddress(host: Handle, link: Link, opts: { want: IpNet; forceAddress: boolean }): Promise<void> {
  const { want, forceAddress } = opts;
  const present = (await host.address.list({ index: link.index, family: want.family }))
    .map((a) => parseIpNet(`${a.address.toString()}/${a.prefixLen}`));
  // An exact match anywhere in the list means done (the reference stops at the first conflict even when the exact
  // address comes later in the list).
  if (present.some((a) => a.cidr === want.cidr)) return;
  for (const a of present) {
    const conflicts = want.family === 4 || contains(a, want.ip) || contains(want, a.ip);
    if (!conflicts) continue;
    if (!forceAddress) throw new Error(`"${link.name}" already has an IP address different from ${want.cidr}`);
    try {
      await host.address.delete({ index: link.index, address: parseIpAddress(a.ip), prefixLen: a.prefixLength });
    } catch (err) {
      throw new Error(`could not remove IP address from "${link.name}": ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    await host.address.add({ index: link.index, address: parseIpAddress(want.ip), prefixLen: want.prefixLength, broadcast: 'auto' });
  } catch (err) {
    // Another ADD added the same gateway address between our read and our write (plugins PR#366).
    if (!isNetlinkError(err, 'EEXIST')) throw new Error(`could not add IP address to "${link.name}": ${(err as Error).message}`, { cause: err });
  }
  await pinMac(host, link.index);
}

const ZERO_MAC = '00:00:00:00:00:00';

/**
 * Sets a bridge's MAC to its current value, so it stops following the lowest port MAC. Read now, not earlier:
 * the MAC changed when the port joined, and a bridge whose last port left has the zero MAC, which cannot be set
 * (the reference pins the MAC it read before the port joined, and fails with EADDRNOTAVAIL in that case).
 */
export async function pinMac(host: Handle, index: number): Promise<void> {
  const { mac } = await host.link.get({ index });
  if (mac && mac !== ZERO_MAC) await host.link.set({ index }, { mac });
}
