// Link operations (`ip link ...`, `bridge link ...`).
import { isNetlinkError, WaitTimeoutError } from '../errors.ts';
import { RTM } from '../message/constants.ts';
import { IFF, linkMessageBody, type LinkAttrs, type LinkMessage } from '../route/link.ts';
import type { BridgePortAttrs } from '../route/bridge-port.ts';
import { AF } from '../sys/constants.ts';
import type { NetnsFdHolder, OpContext } from './context.ts';
import { describeRef, toLink, type Link, type LinkRef } from './link-view.ts';
import { linkSpecMessage, type LinkSpec } from './link-spec.ts';
import { VERB_FLAGS } from './verbs.ts';
import { Connection } from '../transport/connection.ts';
import { NetlinkSocket } from '../transport/netlink-socket.ts';

/** Changes for `set`; absent fields are left alone. */
export interface LinkChanges {
  /** `ip link set DEV up|down` */
  up?: boolean;
  /** `ip link set DEV mtu N` */
  mtu?: number;
  /** `ip link set DEV address MAC` */
  mac?: string;
  /** `ip link set DEV master BR` (an ifindex) or, with null, `ip link set DEV nomaster`. */
  masterIndex?: number | null;
  /** `ip link set DEV promisc on|off` */
  promisc?: boolean;
  /** `ip link set DEV name NEW` */
  name?: string;
  /** `ip link set DEV txqueuelen N` */
  txQueueLen?: number;
  /** `ip link set DEV netns NS`: move the link into another namespace (its ifindex may change there). */
  netns?: NetnsFdHolder;
}

/** Bridge-port settings for `setBridgePort`; absent fields are left alone. */
export type BridgePortSettings = Pick<
  BridgePortAttrs,
  'hairpin' | 'isolated' | 'learning' | 'unicastFlood' | 'mcastFlood' | 'bcastFlood' | 'neighSuppress' | 'proxyArp' | 'guard' | 'cost' | 'priority' | 'state'
>;

/** The AF_BRIDGE RTM_SETLINK body `bridge link set dev X ...` sends: IFLA_PROTINFO (NLA_F_NESTED) with the settings. */
export function bridgePortMessage(index: number, settings: BridgePortSettings): LinkMessage {
  const protInfo: BridgePortAttrs = {};
  for (const [k, v] of Object.entries(settings)) if (v !== undefined) (protInfo as Record<string, unknown>)[k] = v;
  return { family: AF.BRIDGE, linkType: 0, index, flags: 0, change: 0, attrs: { protInfo } };
}

const emptyLink = (attrs: LinkAttrs, index = 0): LinkMessage => ({ family: AF.UNSPEC, linkType: 0, index, flags: 0, change: 0, attrs });

function refMessage(ref: LinkRef): LinkMessage {
  return 'index' in ref ? emptyLink({}, ref.index) : emptyLink({ ifName: ref.name });
}

export class LinkOps {
  readonly #ctx: OpContext;

  constructor(ctx: OpContext) {
    this.#ctx = ctx;
  }

  /**
   * Equivalent to: `ip link show dev NAME` (or by index).
   * Throws NetlinkError 'ENODEV' if there is no such link.
   */
  async get(ref: LinkRef): Promise<Link> {
    return this.getSync(ref);
  }

  /** @internal The synchronous form, for other operations of this package. */
  getSync(ref: LinkRef): Link {
    const [reply] = this.#ctx.conn.request(RTM.GETLINK, VERB_FLAGS.modify, linkMessageBody, refMessage(ref), {
      replyCodec: linkMessageBody,
      subject: describeRef(ref),
    });
    if (!reply) throw new Error(`netlink: RTM_GETLINK for ${describeRef(ref)} returned no link`);
    return toLink(reply);
  }

  /** Equivalent to: `ip link show dev NAME`, but resolves undefined instead of throwing ENODEV. */
  async find(ref: LinkRef): Promise<Link | undefined> {
    try {
      return this.getSync(ref);
    } catch (err) {
      if (isNetlinkError(err, 'ENODEV')) return undefined; // "not found" is an answer here, not a failure
      throw err;
    }
  }

  /** Equivalent to: `ip link show [type KIND] [master BR]`. */
  async list(filter: { kind?: string; masterIndex?: number } = {}): Promise<Link[]> {
    const all = this.#ctx.conn.dump(RTM.GETLINK, linkMessageBody, emptyLink({}), linkMessageBody).map(toLink);
    return all.filter(
      (l) =>
        (filter.kind === undefined || l.kind === filter.kind) &&
        (filter.masterIndex === undefined || l.masterIndex === filter.masterIndex),
    );
  }

  /**
   * Equivalent to: `ip link add NAME [address MAC] [mtu N] type KIND ...` (see the LinkSpec variants).
   * Fails with EEXIST if the name is taken. Returns the link as the kernel reports it afterwards.
   * A veth's peer can be created directly in another namespace (`peer.netns`).
   */
  async add(spec: LinkSpec): Promise<Link> {
    return this.#create(spec, VERB_FLAGS.add);
  }

  /**
   * Equivalent to: `ip link add NAME ... type KIND` if NAME does not exist, else `ip link set NAME ...` with the
   * spec's settings (kind settings included). RTM_NEWLINK with NLM_F_CREATE only: `ip link replace` sends
   * NLM_F_REPLACE, which the kernel refuses (EOPNOTSUPP) for an existing link.
   */
  async replace(spec: LinkSpec): Promise<Link> {
    return this.#create(spec, VERB_FLAGS.createOrUpdate);
  }

  #create(spec: LinkSpec, flags: number): Link {
    this.#ctx.conn.request(RTM.NEWLINK, flags, linkMessageBody, linkSpecMessage(spec), {
      subject: `${spec.kind} link "${spec.name}"`,
    });
    return this.getSync({ name: spec.name });
  }

  /** Equivalent to: `ip link delete dev NAME`. Removing one end of a veth removes both. Throws ENODEV if absent. */
  async delete(ref: LinkRef): Promise<void> {
    this.#ctx.conn.request(RTM.DELLINK, VERB_FLAGS.modify, linkMessageBody, refMessage(ref), { subject: describeRef(ref) });
  }

  /**
   * Equivalent to: `ip link delete dev NAME`, without blocking the event loop. The kernel finishes a deletion inside
   * the request, and for a veth that includes waiting for an RCU grace period (~15-20 ms here); so the request
   * goes out on a worker thread, through a socket of its own. `unlisted` resolves once the link has left the
   * namespace (its RTM_DELLINK event: no addresses, no traffic any more), `done` when the kernel has acknowledged
   * the request. Both reject if the deletion fails (ENODEV if absent); await `done` before the handle's namespace
   * may go away. The process cannot exit before `done` either (the worker thread is in the kernel).
   */
  deleteInBackground(ref: LinkRef): { unlisted: Promise<void>; done: Promise<void> } {
    const index = 'index' in ref ? ref.index : this.getSync(ref).index; // events name links by index
    const events = this.#ctx.subscribe(['link']); // before the request, so its event cannot be missed
    let conn: Connection;
    try {
      conn = new Connection(this.#ctx.inNetns(() => NetlinkSocket.open()));
    } catch (err) {
      events.close();
      throw err;
    }
    const acked = conn
      .requestInBackground(RTM.DELLINK, VERB_FLAGS.modify, linkMessageBody, refMessage({ index }), { subject: describeRef(ref) })
      .finally(() => conn.close());
    acked.catch(() => undefined); // callers may await `unlisted` first; the rejection still reaches `done`'s awaiters
    const unlisted = (async () => {
      try {
        const ack = acked.then(() => 'acked' as const);
        for (;;) {
          const next = events.next({ timeoutMs: 60_000 });
          next.catch(() => undefined); // it loses the race when the ack comes first, then the stream closes
          const ev = await Promise.race([next, ack]);
          if (ev === 'acked' || ev === undefined || ev.type === 'overrun') return void (await acked);
          if (ev.type === 'link' && ev.action === 'del' && ev.link.index === index) return;
        }
      } finally {
        events.close();
      }
    })();
    // The ack can be read before the event (both ready in one turn of the loop): `done` waits for `unlisted` to
    // settle, so whoever sees the deletion complete also sees the link gone. A failure rejects both alike.
    const done = acked.then(() => unlisted.then(() => undefined, () => undefined));
    return { unlisted, done };
  }

  /**
   * Equivalent to: `ip link set dev NAME [up|down] [mtu N] [address MAC] [master BR|nomaster] [promisc on|off]
   * [name NEW] [txqueuelen N] [netns NS]`, as one RTM_SETLINK.
   */
  async set(ref: LinkRef, changes: LinkChanges): Promise<void> {
    const attrs: LinkAttrs = {};
    let index = 'index' in ref ? ref.index : 0;
    if ('name' in ref) {
      if (changes.name !== undefined) index = this.getSync(ref).index; // a rename must address the link by index
      else attrs.ifName = ref.name;
    }
    if (changes.name !== undefined) attrs.ifName = changes.name;
    if (changes.mtu !== undefined) attrs.mtu = changes.mtu;
    if (changes.mac !== undefined) attrs.address = changes.mac;
    if (changes.masterIndex !== undefined) attrs.master = changes.masterIndex ?? 0;
    if (changes.txQueueLen !== undefined) attrs.txQueueLen = changes.txQueueLen;
    if (changes.netns !== undefined) attrs.netnsFd = changes.netns.nsFd;
    const msg = emptyLink(attrs, index);
    if (changes.up !== undefined) {
      msg.change |= IFF.UP;
      if (changes.up) msg.flags |= IFF.UP;
    }
    if (changes.promisc !== undefined) {
      msg.change |= IFF.PROMISC;
      if (changes.promisc) msg.flags |= IFF.PROMISC;
    }
    this.#ctx.conn.request(RTM.SETLINK, VERB_FLAGS.modify, linkMessageBody, msg, { subject: describeRef(ref) });
  }

  /** Equivalent to: `ip link set dev NAME up`. */
  async setUp(ref: LinkRef): Promise<void> {
    return this.set(ref, { up: true });
  }

  /** Equivalent to: `ip link set dev NAME down`. */
  async setDown(ref: LinkRef): Promise<void> {
    return this.set(ref, { up: false });
  }

  /**
   * Equivalent to: `bridge link set dev NAME [hairpin on|off] [isolated on|off] [learning on|off] ...`:
   * an AF_BRIDGE RTM_SETLINK carrying IFLA_PROTINFO. The link must already be a bridge port.
   */
  async setBridgePort(ref: LinkRef, settings: BridgePortSettings): Promise<void> {
    const index = 'index' in ref ? ref.index : this.getSync(ref).index;
    this.#ctx.conn.request(RTM.SETLINK, VERB_FLAGS.modify, linkMessageBody, bridgePortMessage(index, settings), {
      subject: `bridge port ${describeRef(ref)}`,
    });
  }

  /**
   * Equivalent to: `ip monitor link` until the link matches. Resolves with the link once `predicate` holds for it,
   * re-reading it whenever a link event arrives (no sleeping). Throws WaitTimeoutError after `timeoutMs`, or
   * NetlinkError ENODEV if the link disappears.
   */
  async waitFor(ref: LinkRef, predicate: (link: Link) => boolean, options: { timeoutMs: number; what?: string }): Promise<Link> {
    using events = this.#ctx.subscribe(['link']);
    const deadline = Date.now() + options.timeoutMs;
    const what = options.what ?? `${describeRef(ref)} to change state`;
    for (;;) {
      const link = this.getSync(ref); // read after subscribing, so a change in between is not missed
      if (predicate(link)) return link;
      // Any event about this link (or a lost-events overrun) means: read it again.
      for (;;) {
        const ev = await events.next({ timeoutMs: Math.max(0, deadline - Date.now()) });
        if (!ev) throw new WaitTimeoutError(what, options.timeoutMs);
        if (ev.type === 'overrun' || (ev.type === 'link' && ev.link.index === link.index)) break;
      }
    }
  }

  /**
   * Equivalent to: `ip monitor link` until `ip link show dev X` says `state UP`: the operational state is 'up'
   * (carrier; for a veth, the peer is up too).
   */
  async waitOperUp(ref: LinkRef, options: { timeoutMs: number }): Promise<Link> {
    return this.waitFor(ref, (l) => l.operState === 'up', { ...options, what: `${describeRef(ref)} to be oper-up` });
  }
}
