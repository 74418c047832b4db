// @cni-ts/netlink: rtnetlink in TypeScript, with namespace handles. Knows nothing of CNI.
// Raw libc calls (sockets, setns windows, flock) are in '@cni-ts/netlink/sys'; test helpers in '@cni-ts/netlink/testing'.

// Handles and operations
export { openHandle, Handle } from './handle/handle.ts';
export type { OpenHandleOptions } from './handle/handle.ts';
export type { NetnsFdHolder } from './handle/context.ts';
export type { LinkOps, LinkChanges, BridgePortSettings } from './handle/link-ops.ts';
export type { Link, LinkRef, OperState } from './handle/link-view.ts';
export type { LinkSpec, BridgeSpec, VethSpec, VethPeerSpec, VlanSpec, DummySpec } from './handle/link-spec.ts';
export type { AddressOps, AddressSpec } from './handle/address-ops.ts';
export type { Address } from './handle/address-view.ts';
export type { RouteOps, Route, RouteSpec, RouteFilter, NextHop } from './handle/route-ops.ts';
export type { NeighbourOps, Neighbour, NeighbourSpec } from './handle/neighbour-ops.ts';
export type { BridgeVlanOps, BridgeVlan, BridgeVlanSpec } from './handle/bridge-vlan-ops.ts';
export type { SysctlOps } from './handle/sysctl-ops.ts';
export { sysctlPath } from './handle/sysctl-ops.ts';
export { EventStream } from './handle/events.ts';
export type { EventGroup, NetlinkEvent, SubscribeOptions } from './handle/events.ts';
export type { IpFamily, Prefix } from './handle/family.ts';
export { parsePrefix } from './handle/prefix.ts';
export { parseIpAddress, parseCidr } from './codec/ip-text.ts';

// Errors
export { NetlinkError, isNetlinkError, WaitTimeoutError, isWaitTimeoutError } from './errors.ts';
export { NetnsNotFoundError, NotNetnsError, isNetnsNotFoundError, isNotNetnsError } from './sys/netns-errors.ts';

// Kernel constants that callers pass or compare (kernel names)
export { IFF, IF_OPER, ARPHRD } from './route/link.ts';
export { IFA_F, RT_SCOPE } from './route/address.ts';
export { RT_TABLE, RTPROT, RTN } from './route/route.ts';
export { NUD, NTF } from './route/neighbour.ts';
export { BRIDGE_VLAN_INFO } from './route/bridge-af-spec.ts';

// Wire models, for code that needs the full kernel view (`Link.message` and friends)
export type { IpAddress } from './codec/codec.ts';
export type { RawAttr } from './codec/attr-table.ts';
export type { LinkMessage, LinkAttrs } from './route/link.ts';
export type { LinkInfo } from './route/link-info.ts';
export type { BridgeAttrs } from './route/bridge.ts';
export type { BridgePortAttrs } from './route/bridge-port.ts';
export type { BridgeAfSpec, BridgeVlanInfo } from './route/bridge-af-spec.ts';
export type { VlanAttrs } from './route/vlan.ts';
export type { VethAttrs } from './route/veth.ts';
export type { AddressMessage, AddressAttrs } from './route/address.ts';
export type { RouteMessage, RouteAttrs, RouteMetrics } from './route/route.ts';
export type { NeighbourMessage, NeighbourAttrs } from './route/neighbour.ts';
