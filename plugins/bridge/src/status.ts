// STATUS (checklist 4.5): ready when the IPAM plugin is; an L2-only bridge is always ready.
import type { StatusContext } from '@cni-ts/skel';
import type { BridgeConf } from './config.ts';

export async function cmdStatus(ctx: StatusContext<BridgeConf>): Promise<void> {
  if (ctx.conf.ipamType !== undefined) await ctx.delegate.status(ctx.conf.ipamType);
}
