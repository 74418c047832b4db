import type { IpNet } from '../ipnet.ts';

/** Whose masquerade rules these are: one attachment of one container to one network. */
export interface MasqOwner {
  network: string;
  containerId: string;
  ifName: string;
}

/** One masquerade backend (iptables or nftables). Every method runs in the current (host) network namespace. */
export interface MasqBackend {
  readonly name: 'iptables' | 'nftables';
  /** Whether the tool is installed at all; teardown and GC skip an unusable backend. */
  usable(): boolean;
  /** Masquerade traffic from each address to anything outside its subnet (idempotent). */
  setup(owner: MasqOwner, addresses: readonly IpNet[]): Promise<void>;
  /**
   * Removes the owner's rules. `addresses` are those the attachment had, when known (from the container
   * interface or prevResult); without them the rules are found by chain name or comment alone.
   */
  teardown(owner: MasqOwner, addresses: readonly IpNet[] | undefined): Promise<void>;
  /** Removes the rules of every attachment of `network` that is not in `valid`. */
  gc(network: string, valid: readonly { containerId: string; ifName: string }[]): Promise<void>;
  /** Describes what is missing for the owner's addresses ([] when everything is in place). */
  check(owner: MasqOwner, addresses: readonly IpNet[]): Promise<string[]>;
}
