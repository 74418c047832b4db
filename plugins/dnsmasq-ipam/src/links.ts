// The few link facts dnsmasq-ipam needs from the kernel, behind one small interface so the verbs read as steps.
// The implementation (kernel-links.ts) uses @cni-ts/netlink.

export interface Ipv4Address {
  address: number;
  prefix: number;
}

export interface Links {
  /** IPv4 addresses of `name` in the plugin's own namespace; undefined when there is no such interface. */
  hostAddresses(name: string): Promise<Ipv4Address[] | undefined>;
  /** Equivalent to: `ip addr add <address>/<prefix> dev <name>`; an identical existing address is success. */
  addHostAddress(name: string, address: Ipv4Address): Promise<void>;
  /** The MAC of `ifName` inside the namespace at `netns` (set up if it is down); undefined when there is no such interface. */
  containerMac(netns: string, ifName: string): Promise<Uint8Array | undefined>;
}
