// Bridge VLAN operations (`bridge vlan ...`): AF_BRIDGE link messages carrying IFLA_AF_SPEC.
// Kernels built without CONFIG_BRIDGE_VLAN_FILTERING answer EOPNOTSUPP to add/delete.
import { RTM } from '../message/constants.ts';
import { BRIDGE_FLAGS, BRIDGE_VLAN_INFO, RTEXT_FILTER, type BridgeAfSpec } from '../route/bridge-af-spec.ts';
import { linkMessageBody, type LinkMessage } from '../route/link.ts';
import { AF } from '../sys/constants.ts';
import type { OpContext } from './context.ts';
import { VERB_FLAGS } from './verbs.ts';

export interface BridgeVlan {
  /** The port's (or, with `self`, the bridge's) ifindex. */
  index: number;
  vid: number;
  /** Untagged ingress frames get this VLAN. */
  pvid: boolean;
  /** Egress frames leave untagged. */
  untagged: boolean;
  /** BRIDGE_VLAN_INFO_* bits as reported. */
  flags: number;
}

export interface BridgeVlanSpec {
  index: number;
  vid: number;
  pvid?: boolean;
  untagged?: boolean;
  /** `self`: the entry is for the bridge device itself (IFLA_BRIDGE_FLAGS = BRIDGE_FLAGS_SELF). */
  self?: boolean;
}

/** The AF_BRIDGE body `bridge vlan add|del dev X vid N [pvid] [untagged] [self]` sends (RTM_SETLINK / RTM_DELLINK). */
export function bridgeVlanMessage(spec: BridgeVlanSpec): LinkMessage {
  let flags = 0;
  if (spec.pvid) flags |= BRIDGE_VLAN_INFO.PVID;
  if (spec.untagged) flags |= BRIDGE_VLAN_INFO.UNTAGGED;
  const afSpec: BridgeAfSpec = { vlanInfo: [{ flags, vid: spec.vid }] };
  if (spec.self) afSpec.flags = BRIDGE_FLAGS.SELF;
  return { family: AF.BRIDGE, linkType: 0, index: spec.index, flags: 0, change: 0, attrs: { afSpec } };
}

const describe = (spec: BridgeVlanSpec): string => `vlan ${spec.vid} on ifindex ${spec.index}`;

export class BridgeVlanOps {
  readonly #ctx: OpContext;

  constructor(ctx: OpContext) {
    this.#ctx = ctx;
  }

  /** Equivalent to: `bridge vlan add dev DEV vid N [pvid] [untagged] [self]`. */
  async add(spec: BridgeVlanSpec): Promise<void> {
    this.#ctx.conn.request(RTM.SETLINK, VERB_FLAGS.modify, linkMessageBody, bridgeVlanMessage(spec), { subject: describe(spec) });
  }

  /** Equivalent to: `bridge vlan del dev DEV vid N [self]`. */
  async delete(spec: { index: number; vid: number; self?: boolean }): Promise<void> {
    this.#ctx.conn.request(RTM.DELLINK, VERB_FLAGS.modify, linkMessageBody, bridgeVlanMessage(spec), { subject: describe(spec) });
  }

  /** Equivalent to: `bridge vlan show [dev DEV]`: a dump with IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN. */
  async list(filter: { index?: number } = {}): Promise<BridgeVlan[]> {
    const req: LinkMessage = { family: AF.BRIDGE, linkType: 0, index: 0, flags: 0, change: 0, attrs: { extMask: RTEXT_FILTER.BRVLAN } };
    const out: BridgeVlan[] = [];
    for (const m of this.#ctx.conn.dump(RTM.GETLINK, linkMessageBody, req, linkMessageBody)) {
      if (filter.index !== undefined && m.index !== filter.index) continue;
      for (const v of m.attrs.afSpec?.vlanInfo ?? []) {
        out.push({
          index: m.index,
          vid: v.vid,
          pvid: (v.flags & BRIDGE_VLAN_INFO.PVID) !== 0,
          untagged: (v.flags & BRIDGE_VLAN_INFO.UNTAGGED) !== 0,
          flags: v.flags,
        });
      }
    }
    return out;
  }
}
