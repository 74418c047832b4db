// CHECK: the reservation of (CNI_CONTAINERID, CNI_IFNAME) must exist and, when prevResult is given, match it: every
// address we hold appears in prevResult, and every prevResult address inside our range sets is one we hold.
// (The reference only checks that some reservation exists.) Read-only: no lock, so CHECK never waits on ADDs.
import type { CheckContext, Result } from '@cni-ts/skel';
import { CniError, ErrorCode } from '@cni-ts/skel';
import { addressesOf, formatIp, type Ip, ipEquals, parseCidr, type RangeSet, rangeSetContains } from '@cni-ts/ipam-core';
import { loadHostLocalConfig, type SkelConf } from './config.ts';
import { DiskStore } from './disk-store.ts';

export async function cmdCheck(ctx: CheckContext<SkelConf>): Promise<void> {
  const conf = loadHostLocalConfig(ctx);
  const held = await addressesOf(new DiskStore(conf), { containerId: ctx.containerId, ifName: ctx.ifName });
  if (held.length === 0) {
    throw new CniError(ErrorCode.Internal, `host-local: Failed to find address added by container ${ctx.containerId} (ifname ${ctx.ifName})`);
  }
  if (ctx.prevResult) compareWithPrevResult(ctx, held, conf.sets, ctx.prevResult);
}

function compareWithPrevResult(ctx: CheckContext<SkelConf>, held: readonly Ip[], sets: readonly RangeSet[], prev: Result): void {
  const inPrev = (prev.ips ?? []).flatMap((c) => {
    const cidr = parseCidr(c.address);
    return cidr && sets.some((s) => rangeSetContains(s, cidr.ip)) ? [cidr.ip] : [];
  });
  const missing = held.filter((ip) => !inPrev.some((p) => ipEquals(p, ip)));
  const unknown = inPrev.filter((ip) => !held.some((h) => ipEquals(h, ip)));
  if (missing.length === 0 && unknown.length === 0) return;
  const parts = [
    missing.length > 0 ? `reserved but not in prevResult: ${missing.map(formatIp).join(', ')}` : '',
    unknown.length > 0 ? `in prevResult but not reserved: ${unknown.map(formatIp).join(', ')}` : '',
  ].filter((p) => p !== '');
  throw new CniError(
    ErrorCode.Internal,
    `host-local: the reservations of container ${ctx.containerId} (ifname ${ctx.ifName}) do not match prevResult: ${parts.join('; ')}`,
  );
}
