// Links on the real kernel, through @cni-ts/netlink handles (rtnetlink; nothing is spawned).
import ipaddr from 'ipaddr.js';
import { isNetlinkError, isWaitTimeoutError, openHandle } from '@cni-ts/netlink';
import { formatIpv4, parseIpv4 } from './ipv4.ts';
import type { Ipv4Address, Links } from './links.ts';

export const kernelLinks: Links = {
  async hostAddresses(name) {
    await using host = await openHandle();
    const link = await host.link.find({ name });
    if (!link) return undefined;
    const out: Ipv4Address[] = [];
    for (const a of await host.address.list({ index: link.index, family: 4 })) {
      const address = parseIpv4(a.address.toString());
      if (address !== undefined) out.push({ address, prefix: a.prefixLen });
    }
    return out;
  },

  async addHostAddress(name, { address, prefix }) {
    await using host = await openHandle();
    const link = await host.link.get({ name });
    try {
      // The octets directly: ipaddr.IPv4.parse would run its regular expressions on the text (see netlink ip-text.ts).
      const octets = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
      await host.address.add({ index: link.index, address: new ipaddr.IPv4(octets), prefixLen: prefix, broadcast: 'auto' });
    } catch (err) {
      // Another process (the bridge plugin, or a concurrent GC-then-ADD) added the same address first: done.
      if (!isNetlinkError(err, 'EEXIST')) throw err;
    }
  },

  async containerMac(netns, ifName) {
    await using container = await openHandle({ netns });
    const link = await container.link.find({ name: ifName });
    if (!link?.mac) return undefined;
    // The reference dhcp daemon brings the link up too: a DISCOVER on a down link fails with ENETDOWN.
    if (!link.up) await container.link.setUp({ index: link.index });
    // The DISCOVER goes out right after. Until the kernel has processed the carrier change (oper-up), the bridge
    // is not forwarding on the host end's port yet, and a DISCOVER sent then is lost and costs a whole retry
    // (timeoutMs, 1 s by default). Wait for it, briefly; without it the exchange simply goes ahead as before.
    await container.link.waitOperUp({ index: link.index }, { timeoutMs: 1000 }).catch((err: unknown) => {
      if (!isWaitTimeoutError(err)) throw err;
    });
    return Uint8Array.from(link.mac.split(':'), (h) => Number.parseInt(h, 16));
  },
};
