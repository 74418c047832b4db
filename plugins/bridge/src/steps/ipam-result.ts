import type { Result } from '@cni-ts/skel';

/** Step 9.2 of ADD: an IPAM result without addresses is an error (the reference's message). */
export function checkIpamResult(ipam: Result): Result {
  if (!ipam.ips || ipam.ips.length === 0) throw new Error('IPAM plugin returned missing IP config');
  return ipam;
}
