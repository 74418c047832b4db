// Step 9.4 of ADD, in the container's namespace (through its handle; nothing "enters" it): DAD and ARP sysctls,
// the IPAM addresses, the link up, IPv6 addresses settled, then the routes (the reference's ipam.ConfigureIface).
import { type Handle, isWaitTimeoutError, type Link, parseIpAddress, parsePrefix, RT_SCOPE } from '@cni-ts/netlink';
import type { Logger, Result } from '@cni-ts/skel';
import { failure } from '../errors.ts';
import { type IpFamily, type IpNet, parseIpNet } from '../ipnet.ts';
import { bestEffort } from './ignore.ts';

/** How long IPv6 duplicate address detection may take (enabledad) before ADD gives up. */
const DAD_TIMEOUT_MS = 10_000;

export interface ContainerL3 {
  link: Link;
  /** The planned result: ips (with gateways) and routes. */
  plan: Result;
  addresses: readonly IpNet[];
  enableDad: boolean;
}

export async function configureContainer(container: Handle, l3: ContainerL3, log: Logger): Promise<void> {
  const name = l3.link.name;
  const sysctl = (key: string, value: number) =>
    bestEffort(log, `${key}=${value} in the container`, container.sysctl.set(key, value));
  if (l3.enableDad) {
    await sysctl(`net/ipv6/conf/${name}/enhanced_dad`, 1);
    await sysctl(`net/ipv6/conf/${name}/accept_dad`, 1);
  } else {
    // DAD on a fresh veth only delays the pod (about 1-3 s); addresses come from IPAM and are unique.
    await sysctl(`net/ipv6/conf/${name}/accept_dad`, 0);
  }
  await sysctl(`net/ipv4/conf/${name}/arp_notify`, 1);

  if (l3.addresses.some((a) => a.family === 6)) await enableIpv6(container, name);
  for (const a of l3.addresses) {
    try {
      await container.address.add({ index: l3.link.index, address: parseIpAddress(a.ip), prefixLen: a.prefixLength, broadcast: 'auto' });
    } catch (err) {
      throw failure(`failed to add IP addr ${a.cidr} to "${name}"`, err);
    }
  }
  try {
    await container.link.setUp({ index: l3.link.index });
  } catch (err) {
    throw failure(`failed to set "${name}" UP`, err);
  }
  if (l3.addresses.some((a) => a.family === 6)) await settleIpv6(container, l3.link, l3.addresses);
  await addRoutes(container, l3);
}

/** The container may have IPv6 off (disable_ipv6=1 on lo or the interface): turn it on, as the reference does. */
async function enableIpv6(container: Handle, name: string): Promise<void> {
  for (const dev of ['lo', name]) {
    const key = `net/ipv6/conf/${dev}/disable_ipv6`;
    const value = await container.sysctl.get(key).catch(() => undefined); // unreadable: IPv6 not built in
    if (value === undefined || value === '0') continue;
    try {
      await container.sysctl.set(key, 0);
    } catch (err) {
      throw failure(`failed to enable IPv6 for interface "${dev}" (${key}=0)`, err);
    }
  }
  // Keep the addresses if the link goes down and up again.
  await container.sysctl.set(`net/ipv6/conf/${name}/keep_addr_on_down`, 1).catch(() => undefined);
}

/**
 * Waits, on address events instead of polling, until no IPv6 address on the link is tentative; a failed DAD is an
 * error. Like the reference, a link that is not oper-up after the timeout is not an error (DAD cannot run).
 */
async function settleIpv6(container: Handle, link: Link, addresses: readonly IpNet[]): Promise<void> {
  try {
    const settled = await container.address.waitForDad({ index: link.index, timeoutMs: DAD_TIMEOUT_MS });
    const ours = new Set(addresses.map((a) => a.ip));
    const failed = settled.find((a) => a.dadFailed && ours.has(a.address.toString()));
    if (failed) throw new Error(`failed to settle addresses on "${link.name}": ${failed.address.toString()} failed duplicate address detection`);
  } catch (err) {
    if (!isWaitTimeoutError(err)) throw err;
    const now = await container.link.get({ index: link.index });
    if (now.operState === 'up') throw failure(`failed to settle addresses on "${link.name}"`, err);
  }
}

async function addRoutes(container: Handle, l3: ContainerL3): Promise<void> {
  // A route without a gateway goes through the first gateway of its family, when there is one.
  const firstGateway: Partial<Record<IpFamily, string>> = {};
  for (const ip of l3.plan.ips ?? []) {
    const family = parseIpNet(ip.address).family;
    if (ip.gateway !== undefined) firstGateway[family] ??= ip.gateway;
  }
  for (const r of l3.plan.routes ?? []) {
    const dst = parsePrefix(r.dst);
    const family: IpFamily = dst.address.kind() === 'ipv4' ? 4 : 6;
    const gw = r.gw ?? firstGateway[family];
    try {
      // Appended (no EXCL): a second route to the same destination becomes an alternative (ECMP), as in the
      // reference; the 1.1.0 mtu/advmss fields are applied (the reference ignores them).
      await container.route.append({
        dst,
        oif: l3.link.index,
        ...(gw === undefined ? {} : { gateway: parseIpAddress(gw) }),
        ...(r.priority === undefined ? {} : { priority: r.priority }),
        ...(r.table === undefined ? {} : { table: r.table }),
        scope: r.scope ?? RT_SCOPE.UNIVERSE,
        ...(r.mtu === undefined ? {} : { mtu: r.mtu }),
        ...(r.advmss === undefined ? {} : { advmss: r.advmss }),
      });
    } catch (err) {
      throw failure(`failed to add route '${r.dst} via ${gw ?? '<nil>'} dev ${l3.link.name}'`, err);
    }
  }
}
