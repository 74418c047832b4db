// IFLA_LINKINFO (IFLA_INFO_* in linux/if_link.h): the link's kind and its kind-specific data, plus the kind
// and data of its master relation (e.g. a bridge port). IFLA_INFO_DATA is decoded by the codec of the kind
// named in IFLA_INFO_KIND (bridge.ts, veth.ts, vlan.ts); other kinds keep it raw in `data`.
import { attrTable, keepOrder, one, type RawAttr } from '../codec/attr-table.ts';
import { bytes, cstring, type Codec } from '../codec/codec.ts';
import { Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { bridgeAttrs, type BridgeAttrs } from './bridge.ts';
import { bridgePortAttrs, type BridgePortAttrs } from './bridge-port.ts';
import { vethAttrs, type VethAttrs } from './veth.ts';
import { vlanAttrs, type VlanAttrs } from './vlan.ts';

export const IFLA_INFO = { KIND: 1, DATA: 2, XSTATS: 3, SLAVE_KIND: 4, SLAVE_DATA: 5 } as const;

export interface LinkInfo {
  /** IFLA_INFO_KIND: 'bridge', 'veth', 'vlan', 'dummy', 'macvlan', ... */
  kind?: string;
  /** IFLA_INFO_DATA when kind is 'bridge'. */
  bridge?: BridgeAttrs;
  /** IFLA_INFO_DATA when kind is 'veth' (requests only). */
  veth?: VethAttrs;
  /** IFLA_INFO_DATA when kind is 'vlan'. */
  vlan?: VlanAttrs;
  /** IFLA_INFO_DATA of any other kind, raw. */
  data?: Uint8Array;
  /** IFLA_INFO_SLAVE_KIND: the master's kind, e.g. 'bridge' for a bridge port. */
  slaveKind?: string;
  /** IFLA_INFO_SLAVE_DATA when slaveKind is 'bridge'. */
  bridgePort?: BridgePortAttrs;
  /** IFLA_INFO_SLAVE_DATA of any other master kind, raw. */
  slaveData?: Uint8Array;
  unknown?: RawAttr[];
}

interface RawLinkInfo {
  kind?: string;
  data?: Uint8Array;
  slaveKind?: string;
  slaveData?: Uint8Array;
  unknown?: RawAttr[];
}

const rawLinkInfo = attrTable<RawLinkInfo>({
  kind: one(IFLA_INFO.KIND, cstring),
  data: one(IFLA_INFO.DATA, bytes),
  slaveKind: one(IFLA_INFO.SLAVE_KIND, cstring),
  slaveData: one(IFLA_INFO.SLAVE_DATA, bytes),
});

type KindField = 'bridge' | 'veth' | 'vlan';
const kindCodecs: Record<KindField, Codec<unknown>> = {
  bridge: bridgeAttrs as Codec<unknown>,
  veth: vethAttrs as Codec<unknown>,
  vlan: vlanAttrs as Codec<unknown>,
};
const isKindField = (k: string | undefined): k is KindField => k !== undefined && k in kindCodecs;

function toBytes<T>(codec: Codec<T>, v: T): Uint8Array {
  const w = new Writer();
  codec.encode(w, v);
  return w.finish();
}

/** Decodes `data` with `codec`, or returns undefined if it does not fit (it then stays raw). */
function tryDecode<T>(codec: Codec<T>, data: Uint8Array): T | undefined {
  try {
    return codec.decode(new Reader(data));
  } catch {
    return undefined; // kept raw in `data`/`slaveData`: nothing is lost, and golden tests pin the layouts we model
  }
}

export const linkInfo: Codec<LinkInfo> = {
  decode(r) {
    const raw = rawLinkInfo.decode(r);
    const { data, slaveData, ...rest } = raw;
    const out: LinkInfo = rest;
    if (data !== undefined) {
      const decoded = isKindField(raw.kind) ? tryDecode(kindCodecs[raw.kind], data) : undefined;
      if (decoded !== undefined && isKindField(raw.kind)) (out as Record<string, unknown>)[raw.kind] = decoded;
      else out.data = data;
    }
    if (slaveData !== undefined) {
      const decoded = raw.slaveKind === 'bridge' ? tryDecode(bridgePortAttrs, slaveData) : undefined;
      if (decoded !== undefined) out.bridgePort = decoded;
      else out.slaveData = slaveData;
    }
    return keepOrder(raw, out);
  },
  encode(w, v) {
    const { bridge, veth, vlan, bridgePort, ...rest } = v;
    const raw: RawLinkInfo = rest;
    if (bridge) raw.data = toBytes(bridgeAttrs, bridge);
    if (veth) raw.data = toBytes(vethAttrs, veth);
    if (vlan) raw.data = toBytes(vlanAttrs, vlan);
    if (bridgePort) raw.slaveData = toBytes(bridgePortAttrs, bridgePort);
    rawLinkInfo.encode(w, keepOrder(v, raw));
  },
};
