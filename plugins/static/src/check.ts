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
    const sameIp = prevIps.filter((p) => {
      const cidr = parseCidr(p.address);
      return cidr !== undefined && ipEquals(cidr.ip, want.address.ip);
    });
    const gatewayMatches = (p: (typeof prevIps)[number]): boolean => {
      if (!want.gateway) return true;
      const gateway = p.gateway === undefined ? undefined : parseIp(p.gateway);
      return gateway !== undefined && ipEquals(gateway, want.gateway);
    };
    // An address listed twice with different gateways is handed out twice by ADD: each entry has its own match
    // (comparing with the first entry of that address failed CHECK of ADD's own result; found by fuzzing).
    if (!sameIp.some(gatewayMatches)) {
      const found = sameIp[0];
      const why = !found ? 'not in prevResult' : `gateway ${found.gateway ?? 'none'} in prevResult, ${formatIp(want.gateway!)} configured`;
      throw new CniError(ErrorCode.Internal, `static: Failed to match addr ${formatIp(want.address.ip)} on interface ${ctx.ifName}: ${why}`);
    }
  }
}
