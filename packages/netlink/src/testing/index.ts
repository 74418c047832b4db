// @cni-ts/netlink/testing: helpers for kernel tests in any package. Not for product code.
export { tempNetns, ip, ipJson, uniqueName } from './temp-netns.ts';
export type { TempNetns } from './temp-netns.ts';
