import type { Connection } from '../transport/connection.ts';
import type { EventGroup, EventStream } from './events.ts';

/** What every operation group gets from its Handle. */
export interface OpContext {
  /** The request socket, bound to the handle's namespace. */
  readonly conn: Connection;
  /** An open fd of the handle's namespace (for IFLA_NET_NS_FD and event sockets). */
  readonly nsFd: number;
  /** Runs a short synchronous window inside the handle's namespace (a no-op switch for the current one). */
  inNetns<T>(fn: () => T): T;
  /** Opens a multicast event stream in the handle's namespace. */
  subscribe(groups: readonly EventGroup[]): EventStream;
}

/** Anything that holds an open network-namespace fd: a Handle, or `{ nsFd }` for an fd you opened yourself. */
export interface NetnsFdHolder {
  readonly nsFd: number;
}
