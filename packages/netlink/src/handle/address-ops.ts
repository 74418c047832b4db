// Address operations (`ip address ...`).
import ipaddr from 'ipaddr.js';
import type { IpAddress } from '../codec/codec.ts';
import { WaitTimeoutError } from '../errors.ts';
import { RTM } from '../message/constants.ts';
import { addressMessageBody, type AddressAttrs, type AddressMessage } from '../route/address.ts';
import { AF } from '../sys/constants.ts';
import { toAddress, type Address } from './address-view.ts';
import type { OpContext } from './context.ts';
import { familyOf, toAf, type IpFamily } from './family.ts';
import { VERB_FLAGS } from './verbs.ts';

export interface AddressSpec {
  /** The link's ifindex. */
  index: number;
  address: IpAddress;
  prefixLen: number;
  /** `peer ADDR` on point-to-point links. */
  peer?: IpAddress;
  /** `broadcast ADDR`, or 'auto' for `brd +` (host bits all ones; IPv4 prefixes up to /30 only). */
  broadcast?: IpAddress | 'auto';
  label?: string;
  /** RT_SCOPE_*; the kernel's default is universe (host for 127/8). */
  scope?: number;
  /** IFA_F_* bits to request, e.g. IFA_F.NODAD or IFA_F.NOPREFIXROUTE. */
  flags?: number;
  /** Seconds (`valid_lft`, `preferred_lft`); default forever. */
  validLifetime?: number;
  preferredLifetime?: number;
}

/** ipaddr's IPv4.broadcastAddressFromCIDR, on the bytes: going through the text would run its regular expressions. */
export function broadcastOf(address: IpAddress, prefixLen: number): IpAddress {
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const hostBits = 8 - Math.min(8, Math.max(0, prefixLen - i * 8)); // bits of this byte outside the prefix
    bytes[i] = (bytes[i] ?? 0) | ((1 << hostBits) - 1);
  }
  return ipaddr.fromByteArray(bytes);
}

function specMessage(spec: AddressSpec): AddressMessage {
  const family = familyOf(spec.address);
  const attrs: AddressAttrs = {};
  // Like iproute2: IFA_LOCAL is the interface's address, IFA_ADDRESS the peer (or the same address).
  attrs.local = spec.address;
  attrs.address = spec.peer ?? spec.address;
  if (spec.broadcast === 'auto') {
    if (family === 4 && spec.prefixLen <= 30) attrs.broadcast = broadcastOf(spec.address, spec.prefixLen);
  } else if (spec.broadcast) attrs.broadcast = spec.broadcast;
  if (spec.label !== undefined) attrs.label = spec.label;
  const flags = spec.flags ?? 0;
  if (flags > 0xff) attrs.flags = flags;
  if (spec.validLifetime !== undefined || spec.preferredLifetime !== undefined) {
    const forever = 0xffffffff;
    attrs.cacheInfo = { preferred: spec.preferredLifetime ?? forever, valid: spec.validLifetime ?? forever, created: 0, updated: 0 };
  }
  return { family: toAf(family), prefixLen: spec.prefixLen, flags: flags & 0xff, scope: spec.scope ?? 0, index: spec.index, attrs };
}

const describe = (spec: { address: IpAddress; prefixLen: number; index: number }): string =>
  `address ${spec.address.toString()}/${spec.prefixLen} on ifindex ${spec.index}`;

const sameAddress = (a: Address, spec: { address: IpAddress; index: number }): boolean =>
  a.index === spec.index && a.address.toString() === spec.address.toString();

export class AddressOps {
  readonly #ctx: OpContext;

  constructor(ctx: OpContext) {
    this.#ctx = ctx;
  }

  /**
   * Equivalent to: `ip address add ADDR/LEN [peer P] [broadcast B|+] [label L] [scope S] dev DEV`.
   * Fails with EEXIST if the link already has it. Returns the address as the kernel reports it (an IPv6 address
   * is `tentative` until duplicate address detection finishes; see waitForDad).
   */
  async add(spec: AddressSpec): Promise<Address> {
    this.#ctx.conn.request(RTM.NEWADDR, VERB_FLAGS.add, addressMessageBody, specMessage(spec), { subject: describe(spec) });
    return this.#reread(spec);
  }

  /** Equivalent to: `ip address replace ADDR/LEN ... dev DEV`: adds it, or updates its settings. */
  async replace(spec: AddressSpec): Promise<Address> {
    this.#ctx.conn.request(RTM.NEWADDR, VERB_FLAGS.replace, addressMessageBody, specMessage(spec), { subject: describe(spec) });
    return this.#reread(spec);
  }

  /** Equivalent to: `ip address del ADDR/LEN dev DEV`. Throws EADDRNOTAVAIL if the link does not have it. */
  async delete(spec: { index: number; address: IpAddress; prefixLen: number }): Promise<void> {
    this.#ctx.conn.request(RTM.DELADDR, VERB_FLAGS.modify, addressMessageBody, specMessage(spec), { subject: describe(spec) });
  }

  /** Equivalent to: `ip [-4|-6] address show [dev DEV]`. */
  async list(filter: { index?: number; family?: IpFamily } = {}): Promise<Address[]> {
    return this.listSync(filter);
  }

  /** @internal The synchronous form, for other operations of this package. */
  listSync(filter: { index?: number; family?: IpFamily }): Address[] {
    const family = filter.family ? toAf(filter.family) : AF.UNSPEC;
    const req: AddressMessage = { family, prefixLen: 0, flags: 0, scope: 0, index: 0, attrs: {} };
    return this.#ctx.conn
      .dump(RTM.GETADDR, addressMessageBody, req, addressMessageBody)
      .filter((m) => m.family === AF.INET || m.family === AF.INET6)
      .map(toAddress)
      .filter((a) => filter.index === undefined || a.index === filter.index);
  }

  #reread(spec: AddressSpec): Address {
    const found = this.listSync({ index: spec.index, family: familyOf(spec.address) }).find((a) => sameAddress(a, spec));
    if (!found) throw new Error(`netlink: ${describe(spec)} was accepted but is not listed`);
    return found;
  }

  /**
   * Equivalent to: `ip monitor address` until `ip -6 addr show dev X tentative` is empty.
   * Waits until no IPv6 address on the link is tentative (duplicate address detection finished), re-reading on
   * every address event instead of sleeping. Resolves with the link's IPv6 addresses: check `dadFailed` on the
   * ones you added. Throws WaitTimeoutError after `timeoutMs`.
   */
  async waitForDad(options: { index: number; timeoutMs: number }): Promise<Address[]> {
    using events = this.#ctx.subscribe(['ipv6-address']);
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const addrs = this.listSync({ index: options.index, family: 6 }); // read after subscribing: no missed change
      if (!addrs.some((a) => a.tentative && !a.dadFailed)) return addrs;
      for (;;) {
        const ev = await events.next({ timeoutMs: Math.max(0, deadline - Date.now()) });
        if (!ev) throw new WaitTimeoutError(`duplicate address detection on ifindex ${options.index}`, options.timeoutMs);
        if (ev.type === 'overrun' || (ev.type === 'address' && ev.address.index === options.index)) break;
      }
    }
  }
}
