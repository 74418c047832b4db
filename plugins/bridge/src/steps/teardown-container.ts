// DEL, container side: remove the container's veth (the kernel removes its host end with it) and report the
// addresses it had, for the iptables teardown. Everything that can already be gone counts as done: an empty
// CNI_NETNS, a netns path that no longer exists or is not a netns (a leftover file: checklist 8 #9), a missing link.
import { type Handle, type IpAddress, isNetnsNotFoundError, isNotNetnsError, openHandle } from '@cni-ts/netlink';
import type { Logger, Result } from '@cni-ts/skel';
import { type IpNet, parseIpNet } from '../ipnet.ts';
import { ignoreNotFound } from './ignore.ts';

export interface ContainerTeardown {
  /** The global-unicast addresses the container interface had; undefined when it (or its netns) was gone. */
  addresses: IpNet[] | undefined;
  /** Why the container side could not be looked at, when it could not. */
  netnsGone?: string;
  /**
   * The end of the interface's deletion. When teardownContainer returns, the interface has already left the
   * namespace (its addresses are gone); the kernel then spends ~15-20 ms releasing a veth (an RCU grace period),
   * which DEL overlaps with its other steps. Await it before answering; it never rejects unobserved.
   */
  deleted?: Promise<unknown>;
}

export async function teardownContainer(netns: string, ifName: string, log: Logger): Promise<ContainerTeardown> {
  const opened = await openIfPresent(netns, log);
  if (typeof opened === 'string') return { addresses: undefined, netnsGone: opened };
  using container = opened;
  const link = await container.link.find({ name: ifName });
  if (!link) return { addresses: undefined };
  const addresses = (await container.address.list({ index: link.index }))
    .filter((a) => isGlobalUnicast(a.address))
    .map((a) => parseIpNet(`${a.address.toString()}/${a.prefixLen}`));
  const { unlisted, done } = container.link.deleteInBackground({ index: link.index });
  const deleted = ignoreNotFound(done);
  deleted.catch(() => undefined); // observed by the caller later; no unhandled rejection meanwhile
  await ignoreNotFound(unlisted);
  return { addresses, deleted };
}

/** A handle on the netns, or why there is none (empty, gone, not a netns). Other failures are real errors. */
async function openIfPresent(netns: string, log: Logger): Promise<Handle | string> {
  if (netns === '') return 'CNI_NETNS is empty';
  try {
    return await openHandle({ netns });
  } catch (err) {
    if (!isNetnsNotFoundError(err) && !isNotNetnsError(err)) throw err;
    log.debug('netns gone; skipping the container side', { netns, err });
    return err.message;
  }
}

/** Go's IP.IsGlobalUnicast: anything but unspecified, loopback, multicast, link-local and broadcast. */
function isGlobalUnicast(address: IpAddress): boolean {
  return !['unspecified', 'loopback', 'multicast', 'linkLocal', 'broadcast'].includes(address.range());
}

/**
 * When the netns is gone but the runtime's prevResult names a host veth that still hangs on our bridge (the
 * container's namespace outlived its path), remove it: it would otherwise stay on the bridge forever.
 */
export async function removeOrphanHostVeth(host: Handle, bridgeName: string, prevResult: Result | undefined): Promise<void> {
  const bridge = await host.link.find({ name: bridgeName });
  if (!bridge) return;
  for (const iface of prevResult?.interfaces ?? []) {
    if (iface.sandbox || iface.name === bridgeName) continue;
    const link = await host.link.find({ name: iface.name });
    if (link?.kind === 'veth' && link.masterIndex === bridge.index && (!iface.mac || iface.mac === link.mac)) {
      await ignoreNotFound(host.link.delete({ index: link.index }));
    }
  }
}
