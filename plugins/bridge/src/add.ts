// ADD (checklist 4.2), as a list of steps. Each step that acquires something per container registers its undo
// on the next line; if ADD does not reach commit(), the Rollback undoes them newest first, so a failed ADD leaves
// no veth, no IP reservation and no firewall rule behind (the reference leaves the veth: checklist 8 #10).
// Shared host state (the bridge, its gateway addresses, forwarding, a vlan gateway interface) is never undone,
// as in the reference: other containers use it.
import { openHandle } from '@cni-ts/netlink';
import { type AddContext, Rollback, type Result } from '@cni-ts/skel';
import { type BridgeConf, containerMac } from './config.ts';
import { faultInjector } from './fault.ts';
import { planGateways } from './gateways.ts';
import { buildResult } from './result.ts';
import { attachPort } from './steps/attach-port.ts';
import { configureContainer } from './steps/configure-container.ts';
import { createVeth } from './steps/create-veth.ts';
import { ensureBridge } from './steps/ensure-bridge.ts';
import { addIpMasq, addSpoofcheck } from './steps/firewall.ts';
import { assignGatewayAddresses } from './steps/gateway-addresses.ts';
import { ignoreNotFound } from './steps/ignore.ts';
import { openContainer } from './steps/open-container.ts';
import { checkIpamResult } from './steps/ipam-result.ts';
import { waitPortUp } from './steps/wait-port-up.ts';

export async function cmdAdd(ctx: AddContext<BridgeConf>): Promise<Result> {
  const { conf, log } = ctx;
  const after = faultInjector(ctx.env);
  const mac = containerMac(conf, ctx.args);
  await using container = await openContainer(ctx.netns); // first: a bad netns must not leave a bridge behind
  await using host = await openHandle();
  await using undo = new Rollback(log); // declared after the handles, so the undo steps run while they are open

  const bridge = await ensureBridge(host, { name: conf.bridge, mtu: conf.mtu, promisc: conf.promiscMode, vlanFiltering: conf.vlan !== 0 || conf.hasTrunk }, log);
  after('ensure-bridge');
  const veth = await createVeth(host, container, { ifName: ctx.ifName, mtu: conf.mtu, mac }, log);
  undo.push(() => ignoreNotFound(host.link.delete({ index: veth.host.index }))); // takes the container end along
  after('create-veth');
  await attachPort(host, veth.host, bridge, { hairpin: conf.hairpinMode, isolated: conf.portIsolation, vlan: conf.vlan, trunk: conf.vlans, preserveDefaultVlan: conf.preserveDefaultVlan });
  after('attach-port');
  if (conf.macspoofchk) {
    undo.push(await addSpoofcheck(ctx.env, { containerId: ctx.containerId, ifName: ctx.ifName, hostVeth: veth.host.name, mac: veth.container.mac ?? '' }));
    after('macspoofchk');
  }

  const ipamType = conf.ipamType;
  const ipam = ipamType === undefined ? undefined : await ctx.delegate.add(ipamType);
  if (ipamType !== undefined) undo.push(() => ctx.delegate.del(ipamType));
  after('ipam');
  const l3 = ipam && planGateways(checkIpamResult(ipam), conf);
  if (l3) await configureContainer(container, { link: veth.container, plan: l3.result, addresses: l3.addresses, enableDad: conf.enabledad }, log);
  else if (!conf.disableContainerInterface) await container.link.setUp({ index: veth.container.index });
  after('configure-container');
  const vlanLink = l3 && conf.isGateway
    ? await assignGatewayAddresses(host, { bridge, gateways: l3.gateways, vlan: conf.vlan, preserveDefaultVlan: conf.preserveDefaultVlan, forceAddress: conf.forceAddress, mtu: conf.mtu }, log)
    : undefined;
  after('gateway');
  if (l3 && conf.ipMasq) {
    undo.push(await addIpMasq(ctx.env, { backend: conf.ipMasqBackend ?? undefined, network: conf.name, containerId: ctx.containerId, ifName: ctx.ifName, addresses: l3.addresses }, log));
    after('ipmasq');
  }
  const hostEnd = conf.disableContainerInterface ? await host.link.get({ index: veth.host.index }) : await waitPortUp(host, veth.host);
  after('port-up');

  // MACs are re-read: the bridge's changes when its first port joins, the host end's may change on attach.
  const bridgeNow = await host.link.get({ index: bridge.index });
  const result = buildResult({
    bridge: { name: bridgeNow.name, mac: bridgeNow.mac ?? '' },
    hostVeth: { name: hostEnd.name, mac: hostEnd.mac ?? '' },
    container: { name: veth.container.name, mac: veth.container.mac ?? '', sandbox: ctx.netns },
    vlanInterface: vlanLink && { name: vlanLink.name, mac: vlanLink.mac ?? '' },
    l3: l3?.result,
    configDns: conf.dns,
  });
  after('result');
  undo.commit();
  return result;
}
