// A Handle is bound to one network namespace: its request socket is created inside that namespace during a short
// synchronous setns window, and everything after that goes through the socket. Code never "enters" a namespace;
// it holds one handle per namespace (several can be open at once).
import { closeSync, openSync } from 'node:fs';
import { CURRENT_NETNS_PATH, openNetns, warmThreadpool, withNetns } from '../sys/netns.ts';
import { Connection } from '../transport/connection.ts';
import { NetlinkSocket } from '../transport/netlink-socket.ts';
import type { Transport } from '../transport/transport.ts';
import { AddressOps } from './address-ops.ts';
import { BridgeVlanOps } from './bridge-vlan-ops.ts';
import type { OpContext } from './context.ts';
import { EventStream, type EventGroup, type SubscribeOptions } from './events.ts';
import { LinkOps } from './link-ops.ts';
import { NeighbourOps } from './neighbour-ops.ts';
import { RouteOps } from './route-ops.ts';
import { SysctlOps } from './sysctl-ops.ts';

export interface OpenHandleOptions {
  /** A network namespace path (`/var/run/netns/x`, `/proc/PID/ns/net`); omit for the caller's current namespace. */
  netns?: string;
}

export class Handle implements AsyncDisposable, Disposable {
  /** The namespace path given to openHandle, or undefined for the namespace current at open time. */
  readonly netns: string | undefined;
  /** An open fd of this handle's namespace; pass the handle as `netns` to put a veth peer there. */
  readonly nsFd: number;
  readonly link: LinkOps;
  readonly address: AddressOps;
  readonly route: RouteOps;
  readonly neighbour: NeighbourOps;
  readonly bridgeVlan: BridgeVlanOps;
  readonly sysctl: SysctlOps;
  readonly #conn: Connection;
  readonly #isCurrent: boolean;
  readonly #streams = new Set<EventStream>();
  #closed = false;

  /** @internal use openHandle(). */
  constructor(init: { netns: string | undefined; nsFd: number; transport: Transport; isCurrent: boolean }) {
    this.netns = init.netns;
    this.nsFd = init.nsFd;
    this.#isCurrent = init.isCurrent;
    this.#conn = new Connection(init.transport);
    const handle = this;
    const ctx: OpContext = {
      get conn() {
        if (handle.#closed) throw new Error('netlink: the handle is closed');
        return handle.#conn;
      },
      nsFd: init.nsFd,
      inNetns: (fn) => this.#inNetns(fn),
      subscribe: (groups) => this.subscribe(groups),
    };
    this.link = new LinkOps(ctx);
    this.address = new AddressOps(ctx);
    this.route = new RouteOps(ctx);
    this.neighbour = new NeighbourOps(ctx);
    this.bridgeVlan = new BridgeVlanOps(ctx);
    this.sysctl = new SysctlOps(ctx);
  }

  #inNetns<T>(fn: () => T): T {
    if (this.#closed) throw new Error('netlink: the handle is closed');
    return this.#isCurrent ? fn() : withNetns(this.nsFd, fn);
  }

  /**
   * Equivalent to: `ip monitor link|address`: a stream of events from this namespace (RTNLGRP_LINK,
   * RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR). Open it before reading the state you wait for; dispose it after.
   */
  subscribe(groups: readonly EventGroup[], options: SubscribeOptions = {}): EventStream {
    const stream = EventStream.open(groups, (fn) => this.#inNetns(fn), options, () => this.#streams.delete(stream));
    this.#streams.add(stream);
    return stream;
  }

  /** Closes the socket, the namespace fd and any event stream still open. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      for (const stream of this.#streams) stream.close();
      this.#conn.close();
    } finally {
      closeSync(this.nsFd);
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/**
 * Opens a handle on a network namespace: `await using h = await openHandle({ netns: path })`, or
 * `openHandle()` for the current one. Warms the libuv threadpool before the first namespace switch.
 * Throws NetnsNotFoundError for a missing path and NotNetnsError for a path that is not a network namespace.
 */
export async function openHandle(options: OpenHandleOptions = {}): Promise<Handle> {
  await warmThreadpool();
  const { netns } = options;
  if (netns === undefined) {
    const nsFd = openSync(CURRENT_NETNS_PATH, 'r');
    try {
      return new Handle({ netns, nsFd, transport: NetlinkSocket.open(), isCurrent: true });
    } catch (err) {
      closeSync(nsFd);
      throw err;
    }
  }
  const nsFd = openNetns(netns);
  try {
    const transport = withNetns(nsFd, () => NetlinkSocket.open());
    return new Handle({ netns, nsFd, transport, isCurrent: false });
  } catch (err) {
    closeSync(nsFd);
    throw err;
  }
}
