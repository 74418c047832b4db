// ADD (checklist 4.2), as a list of steps. Each step that acquires something per container registers its undo
// on the next line; if ADD does not reach commit(), the Rollback undoes them newest first, so a failed ADD leaves
// no veth, no IP reservation and no firewall rule behind (the reference leaves the veth: checklist 8 #10).
// Shared host state (the bridge, its gateway addresses, forwarding, a vlan gateway interface) is never undone,
// as in the reference: other containers use it.
import { openHandle } from '@cni-ts/netlink';
import { type AddContext, convertResult, Rollback, type Result } from '@cni-ts/skel';
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

  const vlanFiltering = conf.vlan !== 0 || conf.hasTrunk;
  const bridge = await ensureBridge(host, { name: conf.bridge, mtu: conf.mtu, promisc: conf.promiscMode, vlanFiltering }, log);
  after('ensure-bridge');
  const veth = await createVeth(host, container, { ifName: ctx.ifName, mtu: conf.mtu, mac, log });
  undo.push(() => ignoreNotFound(host.link.delete({ index: veth.host.index }))); // takes the container end along
  after('create-veth');
  await attachPort(host, veth.host, {
    bridge, hairpin: conf.hairpinMode, isolated: conf.portIsolation,
    vlan: conf.vlan, trunk: conf.vlans, preserveDefaultVlan: conf.preserveDefaultVlan,
  });
  after('attach-port');
  if (conf.macspoofchk) {
    const target = { containerId: ctx.containerId, ifName: ctx.ifName, hostVeth: veth.host.name, mac: veth.container.mac ?? '' };
    undo.push(await addSpoofcheck(ctx.env, target));
    after('macspoofchk');
  }

  const ipamType = conf.ipamType;
  const ipam = ipamType === undefined ? undefined : await ctx.delegate.add(ipamType);
  if (ipamType !== undefined) undo.push(() => ctx.delegate.del(ipamType));
  after('ipam');
  const l3 = ipam && planGateways(checkIpamResult(ipam), conf);
  if (l3) {
    await configureContainer(container, { link: veth.container, plan: l3.result, addresses: l3.addresses, enableDad: conf.enabledad }, log);
  }
  else if (!conf.disableContainerInterface) await container.link.setUp({ index: veth.container.index });
  after('configure-container');
  const vlanLink = l3 && conf.isGateway
    ? await assignGatewayAddresses(host, { ...conf, bridge, gateways: l3.gateways }, log)
    : undefined;
  after('gateway');
  if (l3 && conf.ipMasq) {
    const owner = { network: conf.name, containerId: ctx.containerId, ifName: ctx.ifName };
    undo.push(await addIpMasq(ctx.env, { ...owner, backend: conf.ipMasqBackend ?? undefined, addresses: l3.addresses }, log));
    after('ipmasq');
  }
  // With the container end down, the port can never come up: nothing to wait for.
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
  // A result the config's version cannot express (L2-only under 0.1.0/0.2.0) fails here, while the undo can still
  // run; skel would only find out when printing, after the commit (the reference leaves the veth behind then).
  convertResult(result, ctx.cniVersion);
  after('result');
  undo.commit();
  return result;
}
