// What callers ask for when creating a link, one shape per kind (a discriminated union on `kind`), and its
// translation into an RTM_NEWLINK body.
import { ETH_P, type VlanAttrs } from '../route/vlan.ts';
import { IFF, type LinkAttrs, type LinkMessage } from '../route/link.ts';
import type { BridgeAttrs } from '../route/bridge.ts';
import type { LinkInfo } from '../route/link-info.ts';
import { AF } from '../sys/constants.ts';
import type { NetnsFdHolder } from './context.ts';

interface LinkSpecBase {
  name: string;
  mtu?: number;
  /** The MAC to set, `aa:bb:cc:dd:ee:ff`; the kernel picks a random one otherwise. */
  mac?: string;
  txQueueLen?: number;
  /** Create it administratively up. */
  up?: boolean;
  /** Create it as a port of this bridge (ifindex). */
  masterIndex?: number;
}

/** `ip link add NAME [mtu N] type bridge [vlan_filtering 0|1] [vlan_default_pvid N]` */
export interface BridgeSpec extends LinkSpecBase {
  kind: 'bridge';
  /** IFLA_BR_VLAN_FILTERING. Kernels built without CONFIG_BRIDGE_VLAN_FILTERING reject it (EOPNOTSUPP). */
  vlanFiltering?: boolean;
  vlanDefaultPvid?: number;
}

/** The far end of a veth pair. */
export interface VethPeerSpec {
  name: string;
  mtu?: number;
  mac?: string;
  txQueueLen?: number;
  /** Create the peer directly in this namespace (IFLA_NET_NS_FD), e.g. a container Handle. */
  netns?: NetnsFdHolder;
}

/** `ip link add NAME type veth peer name PEER [address MAC] [netns NS]` */
export interface VethSpec extends LinkSpecBase {
  kind: 'veth';
  peer: VethPeerSpec;
}

/** `ip link add link PARENT name NAME type vlan id N [protocol 802.1Q|802.1ad]` */
export interface VlanSpec extends LinkSpecBase {
  kind: 'vlan';
  /** The lower device's ifindex (IFLA_LINK). */
  parentIndex: number;
  vlanId: number;
  protocol?: '802.1Q' | '802.1ad';
}

/** `ip link add NAME type dummy` */
export interface DummySpec extends LinkSpecBase {
  kind: 'dummy';
}

export type LinkSpec = BridgeSpec | VethSpec | VlanSpec | DummySpec;

function baseAttrs(spec: { name: string; mtu?: number; mac?: string; txQueueLen?: number }): LinkAttrs {
  const attrs: LinkAttrs = { ifName: spec.name };
  if (spec.mtu !== undefined) attrs.mtu = spec.mtu;
  if (spec.mac !== undefined) attrs.address = spec.mac;
  if (spec.txQueueLen !== undefined) attrs.txQueueLen = spec.txQueueLen;
  return attrs;
}

function kindInfo(spec: LinkSpec): LinkInfo {
  switch (spec.kind) {
    case 'bridge': {
      const bridge: BridgeAttrs = {};
      if (spec.vlanFiltering !== undefined) bridge.vlanFiltering = spec.vlanFiltering;
      if (spec.vlanDefaultPvid !== undefined) bridge.vlanDefaultPvid = spec.vlanDefaultPvid;
      return Object.keys(bridge).length > 0 ? { kind: 'bridge', bridge } : { kind: 'bridge' };
    }
    case 'veth': {
      const peerAttrs = baseAttrs(spec.peer);
      if (spec.peer.netns) peerAttrs.netnsFd = spec.peer.netns.nsFd;
      const peer: LinkMessage = { family: AF.UNSPEC, linkType: 0, index: 0, flags: 0, change: 0, attrs: peerAttrs };
      return { kind: 'veth', veth: { peer } };
    }
    case 'vlan': {
      const vlan: VlanAttrs = { id: spec.vlanId };
      if (spec.protocol) vlan.protocol = spec.protocol === '802.1ad' ? ETH_P['8021AD'] : ETH_P['8021Q'];
      return { kind: 'vlan', vlan };
    }
    case 'dummy':
      return { kind: 'dummy' };
  }
}

/** The RTM_NEWLINK body for a spec. */
export function linkSpecMessage(spec: LinkSpec): LinkMessage {
  const attrs = baseAttrs(spec);
  if (spec.kind === 'vlan') attrs.link = spec.parentIndex;
  if (spec.masterIndex !== undefined) attrs.master = spec.masterIndex;
  attrs.linkInfo = kindInfo(spec);
  const up = spec.up === true;
  return { family: AF.UNSPEC, linkType: 0, index: 0, flags: up ? IFF.UP : 0, change: up ? IFF.UP : 0, attrs };
}
