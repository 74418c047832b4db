// The result model: always the 1.1.0 JSON shape (addresses as strings). Plugins build it; skel converts it to
// the config's cniVersion only when printing (house style B3, A2.6).

export interface Result {
  /** The version this result was parsed as; ignored when printing (the config's version wins). */
  cniVersion?: string;
  interfaces?: Interface[];
  ips?: IpConfig[];
  routes?: Route[];
  dns?: Dns;
}

export interface Interface {
  name: string;
  mac?: string;
  /** 1.1.0 */
  mtu?: number;
  /** the netns path for interfaces inside the container; absent for host-side interfaces */
  sandbox?: string;
  /** 1.1.0 */
  socketPath?: string;
  /** 1.1.0 */
  pciID?: string;
}

export interface IpConfig {
  /** CIDR with the host bits, e.g. "10.1.0.5/16" */
  address: string;
  gateway?: string;
  /** index into `interfaces`; IPAM results leave it out and the calling plugin fills it in */
  interface?: number;
}

export interface Route {
  dst: string;
  gw?: string;
  /** 1.1.0 (Go writes these for every version that has top-level routes) */
  mtu?: number;
  advmss?: number;
  priority?: number;
  table?: number;
  /** 0 global, 253 link, 254 host */
  scope?: number;
}

export interface Dns {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}
