// What a plugin can leave behind, read from the world after each case: host-local reservations (and temporary
// files), dnsmasq-ipam attachment records and leases, veths in the host namespace, links in the container
// namespace, and per-container firewall rules. Empty means clean.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Netns } from '../../harness/netns.ts';
import type { World } from './world.ts';

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
    throw err;
  });
}

/** host-local: every file in every network directory except the lock and the round-robin cursors. */
export async function hostLocalLeaks(dataDir: string): Promise<string[]> {
  const left: string[] = [];
  for (const net of await entries(dataDir)) {
    for (const f of await entries(join(dataDir, net))) {
      if (f !== 'lock' && !f.startsWith('last_reserved_ip.')) left.push(`host-local ${net}/${f}`);
    }
  }
  return left;
}

/** dnsmasq-ipam: attachment records and leases in every network's run directory. */
export async function dnsmasqLeaks(runDir: string): Promise<string[]> {
  const left: string[] = [];
  for (const net of await entries(runDir)) {
    for (const f of await entries(join(runDir, net, 'attachments'))) left.push(`dnsmasq-ipam record ${net}/${f}`);
    const leases = await readFile(join(runDir, net, 'leases'), 'utf8').catch(() => '');
    for (const l of leases.split('\n').filter((x) => x.trim() !== '')) left.push(`dnsmasq lease ${net}: ${l}`);
  }
  return left;
}

interface IpLink {
  ifname: string;
  linkinfo?: { info_kind?: string };
}

/** veths in the host namespace (bridges and vlan gateways are shared infrastructure and may stay). */
export async function hostVeths(host: Netns): Promise<string[]> {
  const links = await host.ipJson<IpLink[]>(['-d', 'link', 'show', 'type', 'veth']);
  return links.map((l) => `host veth ${l.ifname}`);
}

/** Any link but lo in the container namespace. */
export async function containerLinks(container: Netns): Promise<string[]> {
  const links = await container.ipJson<IpLink[]>(['link', 'show']);
  return links.filter((l) => l.ifname !== 'lo').map((l) => `container link ${l.ifname}`);
}

/**
 * Per-container firewall state in the host namespace: iptables nat rules and CNI-* chains (both the nft-backed
 * and the legacy tables), and nftables rules (shared tables and base chains may stay; a rule may not).
 */
export async function firewallLeaks(host: Netns): Promise<string[]> {
  const [v4, v6, nft] = await Promise.all([
    host.exec('iptables-save', ['-t', 'nat'], { allowFail: true }),
    host.exec('ip6tables-save', ['-t', 'nat'], { allowFail: true }),
    host.exec('nft', ['list', 'ruleset']),
  ]);
  const ipt = (dump: string, fam: string) =>
    dump.split('\n').filter((l) => l.startsWith('-A ') || l.startsWith(':CNI-')).map((l) => `${fam} ${l}`);
  return [...ipt(v4.stdout, 'iptables'), ...ipt(v6.stdout, 'ip6tables'), ...nftRules(nft.stdout).map((r) => `nft ${r}`)];
}

/**
 * Per-attachment nftables state in an `nft list ruleset` dump: rules inside chains (not a chain's type, policy or
 * comment line), except the shared base chain of the masquerade table (three fixed rules every ADD rewrites),
 * and any per-attachment spoof-check chain, even an empty one.
 */
export function nftRules(ruleset: string): string[] {
  const rules: string[] = [];
  let table = '';
  let chain: string | undefined;
  for (const raw of ruleset.split('\n')) {
    const line = raw.trim();
    const t = /^table (\S+ \S+) \{$/.exec(line);
    const c = /^chain (\S+) \{$/.exec(line);
    if (t) table = t[1]!;
    else if (c) {
      chain = c[1]!;
      if (chain.startsWith('cni-br-iface-')) rules.push(`chain ${table} ${chain}`);
    } else if (line === '}') chain = undefined;
    else if (chain !== undefined && line !== '' && !/^(type |policy |comment ")/.test(line)) {
      if (table === 'inet cni_plugins_masquerade' && chain === 'postrouting') continue; // shared by every network
      rules.push(`${table} ${chain}: ${line}`);
    }
  }
  return rules;
}

export interface LeakScope {
  hostLocal?: boolean;
  dnsmasq?: boolean;
  kernel?: boolean;
  firewall?: boolean;
}

export async function leaks(world: World, scope: LeakScope): Promise<string[]> {
  const checks: Array<Promise<string[]>> = [];
  if (scope.hostLocal) checks.push(hostLocalLeaks(world.dataDir));
  if (scope.dnsmasq) checks.push(dnsmasqLeaks(world.runDir));
  if (scope.kernel && world.host && world.container) {
    // Read over netlink by the worker (it lives in the host namespace): ~1 ms instead of two `ip` processes.
    const worker = world.worker();
    checks.push(
      worker.links(undefined).then((ls) => ls.filter((l) => l.kind === 'veth').map((l) => `host veth ${l.name}`)),
      worker.links(world.container.path).then((ls) => ls.filter((l) => l.name !== 'lo').map((l) => `container link ${l.name}`)),
    );
  }
  if (scope.firewall && world.host) checks.push(firewallLeaks(world.host));
  return (await Promise.all(checks)).flat();
}
