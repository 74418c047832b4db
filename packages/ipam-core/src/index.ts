// @cni-ts/ipam-core: what every IPAM plugin shares. Pure: no kernel, no filesystem; persistence is behind `Store`.

// Addresses and prefixes
export { type Ip, type IpFamily, parseIp, formatIp, ipEquals, compareIp, offsetIp, familyBits } from './ip.ts';
export { type Cidr, parseCidr, formatCidr, networkAddress, lastAddress, hasHostBits, cidrContains } from './cidr.ts';
export { IpSet } from './ip-set.ts';

// Ranges and range sets (canonicalisation and validation with the reference's rules)
export { type Range, type RangeInput, canonicalizeRange, rangeContains, rangesOverlap, formatRange, isReservedAddress } from './range.ts';
export {
  type RangeSet,
  type RangeSetInput,
  canonicalizeRangeSet,
  canonicalizeRangeSets,
  rangeOf,
  rangeSetContains,
  formatRangeSet,
  multipleAddressesAllowed,
  tooManyAddressesError,
} from './range-set.ts';

// Config schemas (zod/mini) and their conversions
export {
  IpAddress,
  CidrAddress,
  IpWithOptionalPrefix,
  RangeConf,
  RangeSetsConf,
  RouteConf,
  DnsConf,
  nullable,
  parseAt,
  parseIpRanges,
  legacyRangeSet,
  toRangeSetInputs,
  toResultRoutes,
  toResultDns,
} from './schema.ts';

// Requested addresses (precedence of args.cni.ips, runtimeConfig.ips, CNI_ARGS IP)
export { type RequestedIpSource, type RequestedIps, type RequestedIpSources, pickRequestedIps, splitCniArgsList } from './requested-ips.ts';

// The store boundary and the operations on it
export type { Store, Owner, Reservation, ReservationOwner } from './store.ts';
export { type Allocation, type AllocateRequest, allocate } from './allocator.ts';
export { releaseOwner, releaseAllExcept } from './release.ts';
export { exhaustedRangeSets, addressesOf } from './pool-status.ts';
export { reservationsOf, isHeldByAny } from './ownership.ts';
export { roundRobin, firstFree, type Candidate } from './round-robin.ts';

// Results, DNS
export { buildIpamResult, allocationToIpConfig, type IpamResultInput } from './result.ts';
export { parseResolvConf } from './resolv-conf.ts';

// Errors
export { IpamErrorCode, invalidIpamConfig } from './errors.ts';
