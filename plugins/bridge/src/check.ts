// CHECK (checklist 4.4): verifies everything ADD created. Beyond the reference (links, MACs, addresses,
// routes) it checks the port's hairpin/isolation/VLANs and the masquerade and spoof-check rules, and it works
// for L2-only configs (the reference calls an IPAM plugin with an empty name there).
import { openHandle } from '@cni-ts/netlink';
import type { CheckContext } from '@cni-ts/skel';
import type { BridgeConf } from './config.ts';
import { parseIpNet } from './ipnet.ts';
import { checkContainerL3, checkGatewayAddresses } from './steps/check-l3.ts';
import { vlanGatewayName } from './steps/vlan-gateway.ts';
import { checkLinks } from './steps/check-links.ts';
import { openContainer } from './steps/open-container.ts';

export async function cmdCheck(ctx: CheckContext<BridgeConf>): Promise<void> {
  const { conf } = ctx;
  // IPAM first, as the reference does: its answer is what a runtime sees for a never-added container.
  if (conf.ipamType !== undefined) await ctx.delegate.check(conf.ipamType);
  const prev = ctx.prevResult;
  if (!prev) throw new Error('Required prevResult missing');

  await using container = await openContainer(ctx.netns);
  await using host = await openHandle();
  const links = await checkLinks(host, container, { conf, prev, netns: ctx.netns, ifName: ctx.ifName });
  await checkContainerL3(container, links.container, prev);
  if (conf.isGateway && conf.ipamType !== undefined) {
    const name = conf.vlan === 0 ? conf.bridge : vlanGatewayName(conf.bridge, conf.vlan);
    const gatewayLink = await host.link.find({ name });
    if (!gatewayLink) throw new Error(`the gateway interface "${name}" was not found`);
    await checkGatewayAddresses(host, gatewayLink, prev);
  }

  const problems: string[] = [];
  if (conf.macspoofchk || (conf.ipMasq && conf.ipamType !== undefined)) {
    const { systemRunner } = await import('./firewall/command.ts');
    const runner = systemRunner(ctx.env);
    if (conf.macspoofchk) {
      const { checkSpoofcheck } = await import('./firewall/spoofcheck.ts');
      problems.push(...(await checkSpoofcheck(runner, { containerId: ctx.containerId, ifName: ctx.ifName, hostVeth: links.hostVeth.name, mac: links.container.mac ?? '' })));
    }
    if (conf.ipMasq && conf.ipamType !== undefined) {
      const { checkIpMasq } = await import('./firewall/ipmasq.ts');
      const addresses = (prev.ips ?? []).map((ip) => parseIpNet(ip.address));
      const owner = { network: conf.name, containerId: ctx.containerId, ifName: ctx.ifName };
      problems.push(...(await checkIpMasq(runner, conf.ipMasqBackend ?? undefined, owner, addresses)));
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
}
