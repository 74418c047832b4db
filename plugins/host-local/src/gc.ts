// GC (1.1.0): release every reservation of this network that no valid attachment holds. The list comes from
// cni.dev/valid-attachments; a missing key means no attachment is valid, so everything is released. Legacy id-only
// records are kept when their container id is valid (else the first GC after an upgrade would wipe them); empty or
// unreadable records are released. Every release is attempted and all failures are reported together.
// The reference host-local has no GC (plugins#1047).
import { existsSync } from 'node:fs';
import type { GcContext } from '@cni-ts/skel';
import { formatIp, releaseAllExcept } from '@cni-ts/ipam-core';
import { loadStateLocation, type SkelConf } from './config.ts';
import { DiskStore } from './disk-store.ts';

export async function cmdGc(ctx: GcContext<SkelConf>): Promise<void> {
  const location = loadStateLocation(ctx);
  if (!existsSync(location.dir)) return;
  const store = new DiskStore(location);
  const released = await releaseAllExcept(store, ctx.validAttachments);
  await store.exclusive(async () => store.sweepTemporaryFiles());
  ctx.log.debug('gc', { released: released.map(formatIp), debris: store.swept });
}
