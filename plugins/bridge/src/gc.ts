// GC (checklist 4.5 [GOAL]; the reference implements none of it): forward GC to IPAM, then remove the
// masquerade and spoof-check rules of attachments not in cni.dev/valid-attachments. Each part runs even when
// another fails; every failure is reported.
import { type Handle, openHandle } from '@cni-ts/netlink';
import type { GcContext } from '@cni-ts/skel';
import type { BridgeConf } from './config.ts';

export async function cmdGc(ctx: GcContext<BridgeConf>): Promise<void> {
  const { conf } = ctx;
  const errors: unknown[] = [];
  const attempt = (p: Promise<void>) => p.catch((err: unknown) => void errors.push(err));
  if (conf.ipamType !== undefined) await attempt(ctx.delegate.gc(conf.ipamType));
  if (conf.ipMasq || conf.macspoofchk) {
    const { systemRunner } = await import('./firewall/command.ts');
    const runner = systemRunner(ctx.env);
    if (conf.ipMasq && conf.ipamType !== undefined) {
      const { gcIpMasq } = await import('./firewall/ipmasq.ts');
      await attempt(gcIpMasq(runner, conf.name, ctx.validAttachments));
    }
    if (conf.macspoofchk && runner.has('nft')) {
      const { gcSpoofcheck } = await import('./firewall/spoofcheck.ts');
      await using host = await openHandle();
      await attempt(gcSpoofcheck(runner, ctx.validAttachments, (veth) => isPortOf(host, conf.bridge, veth)));
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `GC failed in ${errors.length} parts`);
}

/** A spoof check is ours to collect when its port is gone, or is a port of our bridge (not another network's). */
async function isPortOf(host: Handle, bridgeName: string, veth: string): Promise<boolean> {
  const port = await host.link.find({ name: veth });
  if (!port) return true;
  const bridge = await host.link.find({ name: bridgeName });
  return bridge !== undefined && port.masterIndex === bridge.index;
}
