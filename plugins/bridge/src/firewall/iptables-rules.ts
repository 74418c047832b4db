// Reading `iptables -S` output, and writing the rule lines iptables-restore accepts. Pure: no process runs here.
import type { IpFamily, IpNet } from '../ipnet.ts';

export interface NatTable {
  /** User-defined chains (`-N name`). */
  chains: Set<string>;
  /** Every `-A chain ...` line, exactly as iptables printed it. */
  rules: string[];
}

export function parseRuleListing(text: string): NatTable {
  const chains = new Set<string>();
  const rules: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('-N ')) chains.add(line.slice(3).trim());
    else if (line.startsWith('-A ')) rules.push(line.trimEnd());
  }
  return { chains, rules };
}

/** The chain a rule line belongs to (`-A <chain> ...`). */
export const ruleChain = (line: string): string => line.split(' ')[1] ?? '';

/** The jump target of a rule line (`... -j <target>`), if any. */
export function ruleTarget(line: string): string | undefined {
  return / -j (\S+)$/.exec(line)?.[1];
}

/** The source address of a rule line without its prefix (`-s 10.1.2.3/32` → 10.1.2.3). */
export function ruleSource(line: string): string | undefined {
  return /(?:^| )-s ([^/ ]+)(?:\/\d+)? /.exec(line)?.[1];
}

const ESCAPED_QUOTE = /\\"/g;

/** The `name: "<net>" id: "<id>"` comment of a rule line, if it has one in that form. */
export function ruleOwner(line: string): { network: string; containerId: string } | undefined {
  const m = /--comment "((?:[^"\\]|\\.)*)"/.exec(line);
  const comment = m?.[1]?.replace(ESCAPED_QUOTE, '"');
  const owner = comment === undefined ? undefined : /^name: "(.*)" id: "(.*)"$/.exec(comment);
  return owner ? { network: owner[1] ?? '', containerId: owner[2] ?? '' } : undefined;
}

const quote = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
const MULTICAST: Record<IpFamily, string> = { 4: '224.0.0.0/4', 6: 'ff00::/8' };
const HOST_PREFIX: Record<IpFamily, number> = { 4: 32, 6: 128 };

/**
 * The rules of the reference's masquerade for one family, in `iptables -S` form (so they compare equal to
 * a listing): per address, traffic to its own subnet is accepted untouched; anything else except multicast is
 * masqueraded; POSTROUTING sends the address's traffic into the per-container chain.
 */
export function masqueradeRules(chain: string, comment: string, family: IpFamily, addresses: readonly IpNet[]) {
  const c = `-m comment --comment ${quote(comment)}`;
  return {
    accept: addresses.map((a) => `-A ${chain} -d ${a.network} ${c} -j ACCEPT`),
    masquerade: `-A ${chain} ! -d ${MULTICAST[family]} ${c} -j MASQUERADE`,
    jumps: addresses.map((a) => `-A POSTROUTING -s ${a.ip}/${HOST_PREFIX[family]} ${c} -j ${chain}`),
  };
}

/** An iptables-restore script for the nat table that applies the given lines atomically. */
export const natScript = (lines: readonly string[]): string => `*nat\n${lines.join('\n')}\nCOMMIT\n`;
