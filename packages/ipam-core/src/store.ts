// The persistence boundary of IPAM. Narrow on purpose: five operations that a local directory (host-local), an
// etcd prefix or a Kubernetes custom resource could each implement, so the allocation logic never changes with them.
import type { Ip } from './ip.ts';

/** Who asks for an address: the CNI attachment. */
export interface Owner {
  readonly containerId: string;
  readonly ifName: string;
}

/** Who holds a reservation, as stored. `ifName` is absent for legacy records that hold only the container id. */
export interface ReservationOwner {
  readonly containerId: string;
  readonly ifName?: string | undefined;
}

export interface Reservation {
  readonly ip: Ip;
  /** Undefined when the record is empty or unreadable (e.g. left by a writer that crashed). */
  readonly owner?: ReservationOwner | undefined;
}

export interface Store {
  /**
   * Runs `fn` with exclusive access to the pool, so that read-decide-write sequences (list, then reserve) do not
   * interleave with other processes. Throws a CniError with code 11 (try again later) when access is not granted in
   * time. A cluster store implements this with a lease or an optimistic transaction.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Every reservation in the pool, in no particular order. */
  list(): Promise<Reservation[]>;
  /**
   * Atomically claims `ip` for `owner` if nobody holds it (create-if-absent) and, on success, records it as the last
   * reserved address of range set `rangeSetIndex`. Returns false when the address is already held.
   * A reservation is never visible half-written.
   */
  reserve(ip: Ip, owner: Owner, rangeSetIndex: number): Promise<boolean>;
  /** Removes the reservation of `ip`; releasing an address that is not reserved is not an error. */
  release(ip: Ip): Promise<void>;
  /** The address most recently reserved in range set `rangeSetIndex` (the round-robin cursor), if known. */
  lastReserved(rangeSetIndex: number): Promise<Ip | undefined>;
}
