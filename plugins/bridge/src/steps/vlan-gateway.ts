// The vlan gateway interface (checklist 4.2 step 9.5): with `vlan` and isGateway, the gateway addresses live on
// `<bridge>.<vlan>`, one end of a host-side veth whose other end is an access port of the bridge on that vlan.
// Shared by every container on that vlan; created once, never removed (as in the reference).
// "faild" in the messages is the reference's spelling, kept so both report the same text.
import type { Handle, Link } from '@cni-ts/netlink';
import { isNetlinkError } from '@cni-ts/netlink';
import type { Logger } from '@cni-ts/skel';
import { failure } from '../errors.ts';
import { attachPort } from './attach-port.ts';
import { randomVethName } from './create-veth.ts';
import { ignoreNotFound } from './ignore.ts';

export interface VlanGatewayOptions {
  bridge: Link;
  vlan: number;
  preserveDefaultVlan: boolean;
}

export const vlanGatewayName = (bridge: string, vlan: number): string => `${bridge}.${vlan}`;

export async function ensureVlanGateway(host: Handle, opts: VlanGatewayOptions, log: Logger): Promise<Link> {
  const name = vlanGatewayName(opts.bridge.name, opts.vlan);
  const existing = await host.link.find({ name });
  if (existing) return existing;
  const portName = randomVethName();
  const mtu = opts.bridge.mtu ? { mtu: opts.bridge.mtu } : {};
  try {
    await host.link.add({ kind: 'veth', name, ...mtu, peer: { name: portName, ...mtu } });
  } catch (err) {
    // A concurrent ADD on the same vlan made it first.
    if (isNetlinkError(err, 'EEXIST')) {
      const raced = await host.link.find({ name });
      if (raced) return raced;
    }
    throw failure(`faild to create vlan gateway "${name}"`, err);
  }
  try {
    const port = await host.link.get({ name: portName });
    await host.link.setUp({ index: port.index });
    await attachPort(host, port, {
      bridge: opts.bridge, hairpin: false, isolated: false, vlan: opts.vlan, trunk: [], preserveDefaultVlan: opts.preserveDefaultVlan,
    });
    await host.link.setUp({ name });
  } catch (err) {
    // Half-built: remove it, so the next ADD starts clean instead of adopting a gateway without a vlan.
    await ignoreNotFound(host.link.delete({ name })).catch((e: unknown) => log.warn('could not remove vlan gateway', { err: e }));
    throw failure(`faild to create vlan gateway "${name}"`, err);
  }
  return host.link.get({ name });
}
