// The errors an IPAM plugin reports, as CniErrors with their codes decided here, once.
import { CniError, ErrorCode } from '@cni-ts/skel';

/**
 * CNI codes for IPAM failures.
 *
 * Invalid IPAM configuration is reported with 999 (Internal), not 7: the reference host-local and static return 999
 * for every bad `ipam` section (their config loaders return plain Go errors), and we keep the same code for the same
 * bad input so runtimes and scripts see no difference. The message always names the field.
 *
 * Pool-state failures get their own codes in the plugin-specific range (the reference reports all of them as 999);
 * a runtime treats any non-zero code as failure, so this only adds information.
 */
export const IpamErrorCode = {
  InvalidConfig: ErrorCode.Internal,
  /** No free address is left in a range set. */
  PoolExhausted: 100,
  /** A requested address is already reserved by someone else. */
  AddressUnavailable: 101,
  /** (container id, ifname) already holds an address in the range set. */
  DuplicateAllocation: 102,
} as const;

export function invalidIpamConfig(msg: string, details?: string): CniError {
  return new CniError(IpamErrorCode.InvalidConfig, msg, details);
}
