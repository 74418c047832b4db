// CHECK: prevResult is required and must hold every address static would hand out, each with the configured gateway.
// (The reference skips a configured address that prevResult lacks; a missing address is exactly what CHECK is for.)
import type { CheckContext } from '@cni-ts/skel';
import { CniError, ErrorCode } from '@cni-ts/skel';
import { formatIp, ipEquals, parseCidr, parseIp } from '@cni-ts/ipam-core';
import { loadStaticConfig, type SkelConf } from './config.ts';

export async function cmdCheck(ctx: CheckContext<SkelConf>): Promise<void> {
  const conf = loadStaticConfig(ctx);
  if (!ctx.prevResult) throw new CniError(ErrorCode.Internal, 'Required prevResult missing');
  const prevIps = ctx.prevResult.ips ?? [];
  for (const want of conf.addresses) {
    const found = prevIps.find((p) => {
      const cidr = parseCidr(p.address);
      return cidr !== undefined && ipEquals(cidr.ip, want.address.ip);
    });
    const prevGateway = found?.gateway === undefined ? undefined : parseIp(found.gateway);
    const gatewayMatches = !want.gateway || (prevGateway !== undefined && ipEquals(prevGateway, want.gateway));
    if (!found || !gatewayMatches) {
      const why = !found ? 'not in prevResult' : `gateway ${found.gateway ?? 'none'} in prevResult, ${formatIp(want.gateway!)} configured`;
      throw new CniError(ErrorCode.Internal, `static: Failed to match addr ${formatIp(want.address.ip)} on interface ${ctx.ifName}: ${why}`);
    }
  }
}
