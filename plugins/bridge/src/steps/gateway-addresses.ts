// Step 9.5 of ADD (isGateway): the gateway addresses go on the bridge, or with a vlan on the vlan gateway
// interface `<bridge>.<vlan>`; then forwarding is enabled for each family that has one. All of this is shared by
// every container on the bridge, so, as in the reference, it is never undone.
import type { Handle, Link } from '@cni-ts/netlink';
import type { Logger } from '@cni-ts/skel';
import { failure } from '../errors.ts';
import type { IpFamily, IpNet } from '../ipnet.ts';
import { ensureAddress } from './ensure-address.ts';
import { ensureVlanGateway } from './vlan-gateway.ts';

export interface GatewayOptions {
  bridge: Link;
  gateways: Record<IpFamily, IpNet[]>;
  vlan: number;
  preserveDefaultVlan: boolean;
  forceAddress: boolean;
}

/** Returns the vlan gateway interface when one carries the addresses (it joins the result's interfaces). */
export async function assignGatewayAddresses(host: Handle, opts: GatewayOptions, log: Logger): Promise<Link | undefined> {
  let vlanLink: Link | undefined;
  for (const family of [4, 6] as const) {
    const gateways = opts.gateways[family];
    for (const gw of gateways) {
      if (opts.vlan !== 0) {
        try {
          vlanLink ??= await ensureVlanGateway(host, { bridge: opts.bridge, vlan: opts.vlan, preserveDefaultVlan: opts.preserveDefaultVlan }, log);
        } catch (err) {
          throw failure('failed to create vlan interface', err);
        }
        await ensureAddress(host, vlanLink, { want: gw, forceAddress: opts.forceAddress }).catch((err: unknown) => {
          throw failure('failed to set vlan interface for bridge with addr', err);
        });
      } else {
        await ensureAddress(host, opts.bridge, { want: gw, forceAddress: opts.forceAddress }).catch((err: unknown) => {
          throw failure('failed to set bridge addr', err);
        });
      }
    }
    if (gateways.length > 0) await enableForwarding(host, family);
  }
  return vlanLink;
}

/** ip_forward / ipv6 forwarding in the HOST namespace of this handle, written only when not already 1. */
async function enableForwarding(host: Handle, family: IpFamily): Promise<void> {
  const key = family === 4 ? 'net/ipv4/ip_forward' : 'net/ipv6/conf/all/forwarding';
  try {
    if ((await host.sysctl.get(key)) !== '1') await host.sysctl.set(key, 1);
  } catch (err) {
    throw failure('failed to enable forwarding', err);
  }
}
