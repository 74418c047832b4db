// Step 6 of ADD: a bridge port's VLANs (AF_BRIDGE, `bridge vlan ...`). Needs a bridge with vlan_filtering; a
// kernel built without CONFIG_BRIDGE_VLAN_FILTERING refuses with EOPNOTSUPP, which we report as it is.
import type { Handle, Link } from '@cni-ts/netlink';
import { failure } from '../errors.ts';

export interface PortVlans {
  /** Access VLAN (PVID, untagged); 0 = none. */
  vlan: number;
  /** Trunk VLANs (tagged), sorted and unique. */
  trunk: readonly number[];
  /** Keep the port's existing VLAN entries (the default PVID 1) instead of clearing them first. */
  preserveDefaultVlan: boolean;
}

/** The VLAN entries a port should end up with, in the order they are added. Pure. */
export function portVlanEntries(v: PortVlans): { vid: number; pvid: boolean; untagged: boolean }[] {
  const entries = [];
  if (v.vlan !== 0) entries.push({ vid: v.vlan, pvid: true, untagged: true });
  for (const vid of v.trunk) entries.push({ vid, pvid: false, untagged: false });
  // A trunk without an access VLAN keeps VLAN 1 as its native (untagged) VLAN.
  if (v.vlan === 0 && v.trunk.length > 0 && !v.trunk.includes(1)) entries.push({ vid: 1, pvid: true, untagged: true });
  return entries;
}

export async function programPortVlans(host: Handle, port: Link, v: PortVlans): Promise<void> {
  if (v.vlan === 0 && v.trunk.length === 0) return;
  if (!v.preserveDefaultVlan) {
    try {
      for (const entry of await host.bridgeVlan.list({ index: port.index })) {
        await host.bridgeVlan.delete({ index: port.index, vid: entry.vid });
      }
    } catch (err) {
      throw failure(`failed to remove default vlan on interface "${port.name}"`, err);
    }
  }
  for (const entry of portVlanEntries(v)) {
    try {
      await host.bridgeVlan.add({ index: port.index, ...entry });
    } catch (err) {
      throw failure(`failed to setup vlan tag on interface "${port.name}"`, err);
    }
  }
}
