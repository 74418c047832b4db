// DEL (checklist 4.3), best-effort and repeatable: it never fails because something is already gone.
//
// Step order, and why:
//  1. The container side: read the interface's addresses, then delete it (its host end goes with it). First,
//     because the addresses are the best source for the iptables teardown, and they vanish with the link.
//     Nothing to do when CNI_NETNS is empty, the path is gone or is not a netns, or the link is missing; then a
//     host veth that prevResult names and that still hangs on our bridge is removed instead.
//  2. IPAM DEL, always, even without a netns (the reference skips everything else in that case, leaking rules:
//     plugins#810). After step 1, as in the reference: the address is released only once nothing uses it.
//  3. The spoof-check rules, found by the attachment's id.
//  4. The masquerade rules: by the addresses from step 1, else prevResult's, else by chain name and comment alone
//     (both backends: the container may have been added with the other one).
// Steps 2-4 are independent: each runs even if another failed, and all failures are reported together.
// Step 1 returns as soon as the interface has left the namespace (the kernel's RTM_DELLINK event); the kernel
// finishes the deletion (~15-20 ms for a veth) while steps 2-4 run, and its answer is collected at the end.
// The IPAM release still comes after the interface is gone, as in the reference, and DEL answers only once the
// deletion is complete.
import { openHandle } from '@cni-ts/netlink';
import type { DelContext } from '@cni-ts/skel';
import type { BridgeConf } from './config.ts';
import { parseIpNet } from './ipnet.ts';
import { removeOrphanHostVeth, teardownContainer } from './steps/teardown-container.ts';

export async function cmdDel(ctx: DelContext<BridgeConf>): Promise<void> {
  const { conf, log } = ctx;
  const errors: unknown[] = [];
  const attempt = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (err) {
      log.warn(`DEL: ${what} failed`, { err });
      errors.push(err);
    }
  };

  let addresses = ctx.prevResult?.ips?.map((ip) => parseIpNet(ip.address));
  let deleted: Promise<unknown> | undefined;
  await attempt('removing the container interface', async () => {
    const container = await teardownContainer(ctx.netns, ctx.ifName, log);
    deleted = container.deleted;
    if (container.addresses) addresses = container.addresses;
    if (container.netnsGone !== undefined && ctx.prevResult) {
      await using host = await openHandle();
      await removeOrphanHostVeth(host, conf.bridge, ctx.prevResult);
    }
  });
  const ipamType = conf.ipamType;
  if (ipamType !== undefined) await attempt('IPAM DEL', () => ctx.delegate.del(ipamType));
  if (conf.macspoofchk) {
    await attempt('removing the spoof check', async () => {
      const [{ systemRunner }, { teardownSpoofcheck }] = await Promise.all([import('./firewall/command.ts'), import('./firewall/spoofcheck.ts')]);
      const runner = systemRunner(ctx.env);
      if (runner.has('nft')) await teardownSpoofcheck(runner, { containerId: ctx.containerId, ifName: ctx.ifName });
    });
  }
  if (ipamType !== undefined && conf.ipMasq) {
    await attempt('removing the masquerade rules', async () => {
      const [{ systemRunner }, { teardownIpMasq }] = await Promise.all([import('./firewall/command.ts'), import('./firewall/ipmasq.ts')]);
      await teardownIpMasq(systemRunner(ctx.env), { network: conf.name, containerId: ctx.containerId, ifName: ctx.ifName }, addresses);
    });
  }
  if (deleted) await attempt('removing the container interface', async () => void (await deleted));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `DEL failed in ${errors.length} steps`);
}
