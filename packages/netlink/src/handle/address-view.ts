import type { IpAddress } from '../codec/codec.ts';
import { IFA_F, type AddressMessage } from '../route/address.ts';
import { fromAf, type IpFamily } from './family.ts';

export interface Address {
  family: IpFamily;
  /** The link's ifindex. */
  index: number;
  /** The interface's own address (IFA_LOCAL, else IFA_ADDRESS). */
  address: IpAddress;
  prefixLen: number;
  /** The peer on a point-to-point address (IFA_ADDRESS when it differs from IFA_LOCAL). */
  peer?: IpAddress;
  broadcast?: IpAddress;
  label?: string;
  scope: number;
  /** All IFA_F_* bits (IFA_FLAGS, else the 8-bit header field). */
  flags: number;
  /** IFA_F_TENTATIVE: duplicate address detection is still running; the address is not usable yet. */
  tentative: boolean;
  /** IFA_F_DADFAILED: duplicate address detection found another host using this address. */
  dadFailed: boolean;
  /** IFA_F_PERMANENT: configured, not autoconfigured. */
  permanent: boolean;
  /** Seconds; 0xffffffff means forever. */
  validLifetime?: number;
  preferredLifetime?: number;
  message: AddressMessage;
}

export function toAddress(m: AddressMessage): Address {
  const a = m.attrs;
  const own = a.local ?? a.address;
  if (!own) throw new Error(`netlink: address message for ifindex ${m.index} carries no address`);
  const flags = a.flags ?? m.flags;
  const out: Address = {
    family: fromAf(m.family),
    index: m.index,
    address: own,
    prefixLen: m.prefixLen,
    scope: m.scope,
    flags,
    tentative: (flags & IFA_F.TENTATIVE) !== 0,
    dadFailed: (flags & IFA_F.DADFAILED) !== 0,
    permanent: (flags & IFA_F.PERMANENT) !== 0,
    message: m,
  };
  if (a.local && a.address && a.local.toString() !== a.address.toString()) out.peer = a.address;
  if (a.broadcast) out.broadcast = a.broadcast;
  if (a.label !== undefined) out.label = a.label;
  if (a.cacheInfo) {
    out.validLifetime = a.cacheInfo.valid;
    out.preferredLifetime = a.cacheInfo.preferred;
  }
  return out;
}
