// CHECK, links (checklist 4.4 steps 3-6): the bridge, the container veth and the host veth that ADD reported
// are still there and still connected, with the MACs the result recorded; plus what the reference does not
// check: the port's hairpin and isolation settings, and its VLANs.
import type { Handle, Link } from '@cni-ts/netlink';
import type { Interface, Result } from '@cni-ts/skel';
import type { BridgeConf } from '../config.ts';
import { portVlanEntries } from './port-vlans.ts';

export interface CheckedLinks {
  bridge: Link;
  container: Link;
  hostVeth: Link;
}

const macMismatch = (iface: Interface, link: Link) => iface.mac !== undefined && iface.mac !== '' && iface.mac !== link.mac;

export async function checkLinks(host: Handle, container: Handle, opts: { conf: BridgeConf; prev: Result; netns: string; ifName: string }): Promise<CheckedLinks> {
  const { conf, prev } = opts;
  const interfaces = prev.interfaces ?? [];
  const brIface = interfaces.find((i) => i.name === conf.bridge);
  const contIface = interfaces.find((i) => i.name === opts.ifName && i.sandbox === opts.netns);

  // The bridge (reference messages)
  if (!brIface) throw new Error(`CNI created bridge ${conf.bridge} in host namespace was not found`);
  if (brIface.sandbox) throw new Error(`Interface ${brIface.name} should not be in sandbox`);
  const bridge = await host.link.find({ name: brIface.name });
  if (!bridge) throw new Error(`Interface name ${brIface.name} not found`);
  if (bridge.kind !== 'bridge') throw new Error(`Interface ${brIface.name} does not have link type of bridge`);
  if (macMismatch(brIface, bridge)) throw new Error(`Bridge interface ${brIface.name} Mac doesn't match: ${brIface.mac}`);
  if (bridge.promisc !== conf.promiscMode) {
    throw new Error(`Bridge interface ${brIface.name} configured Promisc Mode ${conf.promiscMode} doesn't match current state: ${bridge.promisc} `);
  }

  // The container side
  if (!contIface) throw new Error(`Sandbox in prevResult  doesn't match configured netns: ${opts.netns}`);
  const cont = await container.link.find({ name: contIface.name });
  if (!cont) throw new Error(`Interface name ${contIface.name} not found`);
  if (cont.kind !== 'veth') throw new Error(`Error: Container interface ${cont.name} not of type veth`);
  if (macMismatch(contIface, cont)) throw new Error(`Interface ${contIface.name} Mac ${contIface.mac} doesn't match container Mac: ${cont.mac}`);

  // The host veth: the one whose peer is the container interface, and which is a port of the bridge.
  let hostVeth: Link | undefined;
  for (const iface of interfaces) {
    if (iface === brIface || iface === contIface || iface.sandbox) continue;
    const link = await host.link.find({ name: iface.name });
    if (!link || link.kind !== 'veth') continue; // not what we created (e.g. the vlan gateway): skip it
    if (link.index !== cont.linkIndex || link.linkIndex !== cont.index || link.masterIndex !== bridge.index) continue;
    if (macMismatch(iface, link)) throw new Error(`Interface ${iface.name} Mac doesn't match: ${iface.mac} not found`);
    hostVeth = link;
    break;
  }
  if (!hostVeth) throw new Error(`CNI veth created for bridge ${conf.bridge} was not found`);

  const port = hostVeth.bridgePort ?? {};
  if ((port.hairpin ?? false) !== conf.hairpinMode) throw new Error(`bridge port ${hostVeth.name} hairpin mode is ${port.hairpin ?? false}, configured ${conf.hairpinMode}`);
  if ((port.isolated ?? false) !== conf.portIsolation) throw new Error(`bridge port ${hostVeth.name} isolation is ${port.isolated ?? false}, configured ${conf.portIsolation}`);
  if (conf.vlan !== 0 || conf.vlans.length > 0) await checkPortVlans(host, hostVeth, conf);
  return { bridge, container: cont, hostVeth };
}

async function checkPortVlans(host: Handle, port: Link, conf: BridgeConf): Promise<void> {
  const have = await host.bridgeVlan.list({ index: port.index });
  for (const want of portVlanEntries({ vlan: conf.vlan, trunk: conf.vlans, preserveDefaultVlan: conf.preserveDefaultVlan })) {
    const entry = have.find((v) => v.vid === want.vid);
    if (!entry || entry.pvid !== want.pvid || entry.untagged !== want.untagged) {
      throw new Error(`bridge port ${port.name} is missing vlan ${want.vid}${want.pvid ? ' (pvid untagged)' : ''}`);
    }
  }
}
