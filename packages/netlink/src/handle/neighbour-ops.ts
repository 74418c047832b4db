// Neighbour (ARP/NDP) operations (`ip neighbour ...`).
import type { IpAddress } from '../codec/codec.ts';
import { RTM } from '../message/constants.ts';
import { NUD, neighbourMessageBody, type NeighbourAttrs, type NeighbourMessage } from '../route/neighbour.ts';
import { RTN } from '../route/route.ts';
import { AF } from '../sys/constants.ts';
import type { OpContext } from './context.ts';
import { familyOf, fromAf, toAf, type IpFamily } from './family.ts';
import { VERB_FLAGS } from './verbs.ts';

export interface Neighbour {
  family: IpFamily;
  index: number;
  address?: IpAddress;
  /** The neighbour's MAC. */
  lladdr?: string;
  /** NUD_* bits ('permanent' is NUD.PERMANENT). */
  state: number;
  /** NTF_* bits. */
  flags: number;
  message: NeighbourMessage;
}

export interface NeighbourSpec {
  index: number;
  address: IpAddress;
  lladdr?: string;
  /** NUD_* state; default NUD.PERMANENT (`nud permanent`, as iproute2). */
  state?: number;
  flags?: number;
}

function specMessage(spec: NeighbourSpec, forDelete: boolean): NeighbourMessage {
  const attrs: NeighbourAttrs = { dst: spec.address };
  if (spec.lladdr !== undefined) attrs.lladdr = spec.lladdr;
  return {
    family: toAf(familyOf(spec.address)),
    index: spec.index,
    state: spec.state ?? (forDelete ? NUD.NONE : NUD.PERMANENT),
    flags: spec.flags ?? 0,
    type: forDelete ? 0 : RTN.UNICAST,
    attrs,
  };
}

export function toNeighbour(m: NeighbourMessage): Neighbour {
  const n: Neighbour = { family: fromAf(m.family), index: m.index, state: m.state, flags: m.flags, message: m };
  if (m.attrs.dst) n.address = m.attrs.dst;
  if (m.attrs.lladdr !== undefined) n.lladdr = m.attrs.lladdr;
  return n;
}

const describe = (spec: NeighbourSpec): string => `neighbour ${spec.address.toString()} on ifindex ${spec.index}`;

export class NeighbourOps {
  readonly #ctx: OpContext;

  constructor(ctx: OpContext) {
    this.#ctx = ctx;
  }

  /** Equivalent to: `ip neighbour add ADDR lladdr MAC dev DEV nud permanent`. Fails with EEXIST if present. */
  async add(spec: NeighbourSpec): Promise<void> {
    this.#ctx.conn.request(RTM.NEWNEIGH, VERB_FLAGS.add, neighbourMessageBody, specMessage(spec, false), { subject: describe(spec) });
  }

  /** Equivalent to: `ip neighbour replace ADDR lladdr MAC dev DEV nud permanent`. */
  async replace(spec: NeighbourSpec): Promise<void> {
    this.#ctx.conn.request(RTM.NEWNEIGH, VERB_FLAGS.replace, neighbourMessageBody, specMessage(spec, false), { subject: describe(spec) });
  }

  /** Equivalent to: `ip neighbour del ADDR dev DEV`. Throws ENOENT if there is no such entry. */
  async delete(spec: { index: number; address: IpAddress }): Promise<void> {
    this.#ctx.conn.request(RTM.DELNEIGH, VERB_FLAGS.modify, neighbourMessageBody, specMessage(spec, true), { subject: describe(spec) });
  }

  /** Equivalent to: `ip [-4|-6] neighbour show [dev DEV]`. */
  async list(filter: { index?: number; family?: IpFamily } = {}): Promise<Neighbour[]> {
    const req: NeighbourMessage = { family: filter.family ? toAf(filter.family) : AF.UNSPEC, index: 0, state: 0, flags: 0, type: 0, attrs: {} };
    return this.#ctx.conn
      .dump(RTM.GETNEIGH, neighbourMessageBody, req, neighbourMessageBody)
      .filter((m) => m.family === AF.INET || m.family === AF.INET6)
      .map(toNeighbour)
      .filter((n) => filter.index === undefined || n.index === filter.index);
  }
}
