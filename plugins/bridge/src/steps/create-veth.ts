// Step 4 of ADD: the veth pair. It is created from the container's handle with the host end placed directly in
// the host namespace (IFLA_NET_NS_FD), so nothing is ever moved between namespaces and no ifindex changes.
// The host end gets a random name `veth` + 8 hex; a name clash with an existing host link is retried.
import { closeSync, openSync, readSync } from 'node:fs';
import { type Handle, isNetlinkError, type Link } from '@cni-ts/netlink';
import type { Logger } from '@cni-ts/skel';
import { failure } from '../errors.ts';
import { bestEffort } from './ignore.ts';

const NAME_ATTEMPTS = 10;

export interface VethPair {
  host: Link;
  container: Link;
}

export interface VethOptions {
  ifName: string;
  log: Logger;
  /** 0 = the kernel default */
  mtu: number;
  mac: string | undefined;
}

/** 4 random bytes from the kernel as 8 hex digits (/dev/urandom: node:crypto costs ~3 ms of start-up to load). */
function randomHex8(): string {
  const bytes = Buffer.alloc(4);
  const fd = openSync('/dev/urandom', 'r');
  try {
    readSync(fd, bytes, 0, 4, null);
  } finally {
    closeSync(fd);
  }
  return bytes.toString('hex');
}

export const randomVethName = (): string => `veth${randomHex8()}`;

export async function createVeth(host: Handle, container: Handle, opts: VethOptions): Promise<VethPair> {
  // A repeated ADD must fail here, before anything else is touched (the reference's message).
  if (await container.link.find({ name: opts.ifName })) {
    throw new Error(`container veth name provided (${opts.ifName}) already exists`);
  }
  const mtu = opts.mtu > 0 ? { mtu: opts.mtu } : {};
  for (let attempt = 1; ; attempt++) {
    const peerName = randomVethName();
    try {
      const containerEnd = await container.link.add({
        kind: 'veth',
        name: opts.ifName,
        ...mtu,
        ...(opts.mac ? { mac: opts.mac } : {}),
        peer: { name: peerName, ...mtu, netns: host },
      });
      const hostEnd = await host.link.get({ name: peerName });
      await host.link.setUp({ index: hostEnd.index });
      // We own the routes on this interface: no router advertisements.
      await bestEffort(opts.log, `accept_ra=0 on ${peerName}`, host.sysctl.set(`net/ipv6/conf/${peerName}/accept_ra`, 0));
      return { host: hostEnd, container: containerEnd };
    } catch (err) {
      if (!isNetlinkError(err, 'EEXIST')) throw failure('failed to make veth pair', err);
      if (await container.link.find({ name: opts.ifName })) {
        throw new Error(`container veth name provided (${opts.ifName}) already exists`);
      }
      // The random host name was taken: try another.
      if (attempt >= NAME_ATTEMPTS) throw new Error('failed to find a unique veth name', { cause: err });
    }
  }
}
