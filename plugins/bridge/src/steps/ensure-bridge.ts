// Step 2 of ADD: the bridge exists, is a bridge, and is up. Idempotent and safe against concurrent ADDs
// creating it at the same moment: EEXIST means someone else won the race, and we adopt what they made after
// checking its kind. An existing bridge is never reconfigured (as in the reference).
import { type Handle, isNetlinkError, type Link } from '@cni-ts/netlink';
import type { Logger } from '@cni-ts/skel';
import { failure } from '../errors.ts';
import { pinMac } from './ensure-address.ts';
import { bestEffort } from './ignore.ts';

export interface BridgeOptions {
  name: string;
  /** 0 = the kernel default */
  mtu: number;
  promisc: boolean;
  /** vlan or vlanTrunk is configured: create the bridge with vlan_filtering on */
  vlanFiltering: boolean;
}

export async function ensureBridge(host: Handle, opts: BridgeOptions, log: Logger): Promise<Link> {
  const context = `failed to create bridge "${opts.name}"`;
  let created = false;
  try {
    await host.link.add({
      kind: 'bridge',
      name: opts.name,
      ...(opts.mtu > 0 ? { mtu: opts.mtu } : {}),
      ...(opts.vlanFiltering ? { vlanFiltering: true } : {}),
    });
    created = true;
  } catch (err) {
    if (!isNetlinkError(err, 'EEXIST')) throw failure(`${context}: could not add "${opts.name}"`, err);
  }
  const bridge = await host.link.get({ name: opts.name });
  if (bridge.kind !== 'bridge') throw new Error(`${context}: "${opts.name}" already exists but is not a bridge`);
  if (opts.promisc && !bridge.promisc) await host.link.set({ index: bridge.index }, { promisc: true });
  // Pin the MAC of a bridge we created: otherwise it follows the lowest port MAC and flaps as ports come and go.
  if (created) await pinMac(host, bridge.index);
  // We own the routes on this interface: no router advertisements.
  await bestEffort(log, `accept_ra=0 on ${opts.name}`, host.sysctl.set(`net/ipv6/conf/${opts.name}/accept_ra`, 0));
  if (!bridge.up) await host.link.setUp({ index: bridge.index });
  return bridge;
}
