// Reading kernel state inside a cell's namespaces (through `ip -j`, iptables-save and nft), and the ping.
import type { Netns } from './netns.ts';

export interface IpLink {
  ifname: string;
  master?: string;
  operstate?: string;
  address?: string;
  linkinfo?: { info_kind?: string };
}

interface IpAddrEntry {
  ifname: string;
  addr_info: Array<{ family: 'inet' | 'inet6'; local: string; prefixlen: number; scope: string }>;
}

export async function links(ns: Netns): Promise<IpLink[]> {
  return ns.ipJson<IpLink[]>(['-d', 'link', 'show']);
}

/** Global-scope addresses as `addr/prefix`, optionally of one interface. */
export async function globalAddrs(ns: Netns, ifName?: string): Promise<string[]> {
  const entries = await ns.ipJson<IpAddrEntry[]>(['addr', 'show', ...(ifName ? ['dev', ifName] : [])]);
  return entries.flatMap((e) => e.addr_info.filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`));
}

export async function bridgePorts(ns: Netns, bridge: string): Promise<string[]> {
  return (await links(ns)).filter((l) => l.master === bridge).map((l) => l.ifname);
}

/** What is left in the NAT tables: iptables (v4 and v6, nft-backed) and the whole nftables ruleset. */
export async function natState(ns: Netns): Promise<{ iptables: string; ip6tables: string; nft: string }> {
  const [v4, v6, nft] = await Promise.all([
    ns.exec('iptables-save', ['-t', 'nat'], { allowFail: true }),
    ns.exec('ip6tables-save', ['-t', 'nat'], { allowFail: true }),
    ns.exec('nft', ['list', 'ruleset']),
  ]);
  return { iptables: v4.stdout, ip6tables: v6.stdout, nft: nft.stdout };
}

/** iptables rules (`-A ...` lines) and CNI chains in an iptables-save dump. */
export function iptablesRules(dump: string): string[] {
  return dump.split('\n').filter((l) => l.startsWith('-A ') || l.startsWith(':CNI-'));
}

/**
 * nftables rule lines that masquerade or match one of the addresses. Quoted text (comments of tables, chains and
 * rules) is ignored, so a table that merely describes masquerading is not a rule.
 */
export function nftRulesAbout(ruleset: string, addrs: readonly string[]): string[] {
  return ruleset.split('\n').map((l) => l.trim()).filter((line) => {
    const code = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    return /\bmasquerade\b/.test(code) || addrs.some((a) => new RegExp(`(^|[^0-9a-f:.])${a.replace(/[.]/g, '\\.')}($|[^0-9a-f:.])`, 'i').test(code));
  });
}

const bare = (addr: string) => addr.split('/')[0] ?? addr;

/**
 * One ping from `from` to `target`, waiting up to 5 s for the reply (an IPv6 gateway may still be in DAD). The target
 * must be an address inside one of the cell's own namespaces: the test never sends packets anywhere else.
 */
export async function ping(from: Netns, target: string, cellNamespaces: readonly Netns[]): Promise<void> {
  const owned = (await Promise.all(cellNamespaces.map((ns) => globalAddrs(ns)))).flat().map(bare);
  if (!owned.includes(bare(target))) throw new Error(`refusing to ping ${target}: not an address inside this cell's namespaces`);
  const r = await from.exec('ping', ['-n', '-q', '-c', '1', '-w', '5', bare(target)], { allowFail: true });
  if (r.code !== 0) throw new Error(`ping ${target} from ${from.name} failed: ${(r.stdout + r.stderr).trim().split('\n').slice(-2).join(' / ')}`);
}
