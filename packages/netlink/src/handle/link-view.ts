// The readable view of a link that callers work with; the full decoded message stays available in `message`.
import type { BridgeAttrs } from '../route/bridge.ts';
import type { BridgePortAttrs } from '../route/bridge-port.ts';
import { IFF, IF_OPER, type LinkMessage } from '../route/link.ts';
import type { VlanAttrs } from '../route/vlan.ts';

export type OperState = 'unknown' | 'notpresent' | 'down' | 'lowerlayerdown' | 'testing' | 'dormant' | 'up';

const operStates: Record<number, OperState> = Object.fromEntries(
  Object.entries(IF_OPER).map(([k, v]) => [v, k.toLowerCase() as OperState]),
);

/** Selects a link by ifindex or by name (in the handle's namespace). */
export type LinkRef = { index: number } | { name: string };

export interface Link {
  index: number;
  name: string;
  /** IFLA_INFO_KIND: 'bridge', 'veth', 'vlan', ...; undefined for kind-less devices such as lo. */
  kind?: string;
  /** The MAC, `aa:bb:cc:dd:ee:ff`. */
  mac?: string;
  mtu?: number;
  /** IFF_* bits. */
  flags: number;
  /** Administratively up (IFF_UP). */
  up: boolean;
  /** RFC 2863 operational state; 'up' means the link can pass packets. */
  operState: OperState;
  /** IFF_PROMISC. */
  promisc: boolean;
  /** IFLA_MASTER: the bridge this link is a port of. */
  masterIndex?: number;
  /** IFLA_LINK: a veth's peer ifindex (in the namespace named by linkNetnsId, if set), or a vlan's parent. */
  linkIndex?: number;
  /** IFLA_LINK_NETNSID: set when linkIndex lives in another namespace. */
  linkNetnsId?: number;
  txQueueLen?: number;
  /** Bridge settings, for kind 'bridge'. */
  bridge?: BridgeAttrs;
  /** VLAN settings, for kind 'vlan'. */
  vlan?: VlanAttrs;
  /** Bridge-port settings (hairpin, isolated, ...), when the link is a bridge port. */
  bridgePort?: BridgePortAttrs;
  /** Everything the kernel reported. */
  message: LinkMessage;
}

function set<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}

export function toLink(m: LinkMessage): Link {
  const a = m.attrs;
  const info = a.linkInfo;
  const link: Link = {
    index: m.index,
    name: a.ifName ?? '',
    flags: m.flags,
    up: (m.flags & IFF.UP) !== 0,
    operState: operStates[a.operState ?? IF_OPER.UNKNOWN] ?? 'unknown',
    promisc: (m.flags & IFF.PROMISC) !== 0,
    message: m,
  };
  set(link, 'kind', info?.kind);
  set(link, 'mac', a.address);
  set(link, 'mtu', a.mtu);
  set(link, 'masterIndex', a.master);
  set(link, 'linkIndex', a.link);
  set(link, 'linkNetnsId', a.linkNetnsId);
  set(link, 'txQueueLen', a.txQueueLen);
  set(link, 'bridge', info?.bridge);
  set(link, 'vlan', info?.vlan);
  set(link, 'bridgePort', info?.bridgePort ?? a.protInfo);
  return link;
}

export function describeRef(ref: LinkRef): string {
  return 'index' in ref ? `link index ${ref.index}` : `link "${ref.name}"`;
}
