// DEL: release every address held by (CNI_CONTAINERID, CNI_IFNAME), in every range set (and legacy id-only records
// when no exact one exists). Best effort and repeatable: nothing reserved, or no state directory at all, is success.
// Only the state location is read from the config, so DEL still releases when the ranges became invalid.
import { existsSync } from 'node:fs';
import type { DelContext } from '@cni-ts/skel';
import { formatIp, releaseOwner } from '@cni-ts/ipam-core';
import { loadStateLocation, type SkelConf } from './config.ts';
import { DiskStore } from './disk-store.ts';

export async function cmdDel(ctx: DelContext<SkelConf>): Promise<void> {
  const location = loadStateLocation(ctx);
  if (!existsSync(location.dir)) return; // never allocated anything on this network
  const released = await releaseOwner(new DiskStore(location), { containerId: ctx.containerId, ifName: ctx.ifName });
  ctx.log.debug('released', { ips: released.map(formatIp) });
}
