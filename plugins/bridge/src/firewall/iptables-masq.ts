// ipMasq with iptables/ip6tables, recognisable by the reference plugins: the same per-container chain
// (`CNI-<hash>`), rules and comment. Each change is one iptables-restore transaction per family (atomic, and
// one process instead of the reference's one per rule); `-w` bounds the wait for the xtables lock.
import type { IpFamily, IpNet } from '../ipnet.ts';
import { type CommandRunner, listingToRemove, type NetfilterTool, runChecked } from './command.ts';
import type { MasqBackend, MasqOwner } from './masq-owner.ts';
import { iptablesChainName, iptablesComment } from './names.ts';
import {
  masqueradeRules, natScript, type NatTable, parseRuleListing, ruleChain, ruleOwner, ruleSource, ruleTarget,
} from './iptables-rules.ts';

/** Seconds to wait for the xtables lock before giving up (iptables -w). */
const LOCK_WAIT_SECONDS = '10';
const FAMILIES: readonly IpFamily[] = [4, 6];
const TOOLS: Record<IpFamily, { list: NetfilterTool; restore: NetfilterTool }> = {
  4: { list: 'iptables', restore: 'iptables-restore' },
  6: { list: 'ip6tables', restore: 'ip6tables-restore' },
};

export function iptablesMasq(runner: CommandRunner): MasqBackend {
  const usableFamily = (f: IpFamily) => runner.has(TOOLS[f].list) && runner.has(TOOLS[f].restore);

  async function listNat(family: IpFamily): Promise<NatTable> {
    return parseRuleListing(await runChecked(runner, TOOLS[family].list, ['-w', LOCK_WAIT_SECONDS, '-t', 'nat', '-S']));
  }
  const listNatToRemove = (family: IpFamily) => listingToRemove(listNat(family), { chains: new Set<string>(), rules: [] });
  async function apply(family: IpFamily, lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await runChecked(runner, TOOLS[family].restore, ['--noflush', '-w', LOCK_WAIT_SECONDS], natScript(lines));
  }

  /** Removes POSTROUTING jumps into `chain` (those from `sources`, or all), then the chain once nothing uses it. */
  async function removeChain(family: IpFamily, table: NatTable, chain: string, sources?: ReadonlySet<string>) {
    const jumps = table.rules.filter((r) => ruleChain(r) === 'POSTROUTING' && ruleTarget(r) === chain);
    const doomed = jumps.filter((r) => !sources || sources.has(ruleSource(r) ?? ''));
    const lines = doomed.map((r) => r.replace(/^-A /, '-D '));
    if (doomed.length === jumps.length && table.chains.has(chain)) lines.push(`-F ${chain}`, `-X ${chain}`);
    await apply(family, lines);
  }

  return {
    name: 'iptables',
    usable: () => usableFamily(4),

    async setup(owner, addresses) {
      const chain = iptablesChainName(owner.network, owner.containerId);
      const comment = iptablesComment(owner.network, owner.containerId);
      for (const family of FAMILIES) {
        const mine = addresses.filter((a) => a.family === family);
        if (mine.length === 0) continue;
        const table = await listNat(family);
        const present = new Set(table.rules);
        const want = masqueradeRules(chain, comment, family, mine);
        const lines: string[] = table.chains.has(chain) ? [] : [`:${chain} - [0:0]`];
        // Accepts go first so they are seen before the masquerade, even in a chain an earlier ADD created.
        for (const rule of want.accept) if (!present.has(rule)) lines.push(rule.replace(/^-A /, '-I '));
        for (const rule of [want.masquerade, ...want.jumps]) if (!present.has(rule)) lines.push(rule);
        await apply(family, lines);
      }
    },

    async teardown(owner, addresses) {
      // The chain is named by (network, container) alone, so it can be found without any address: this is what
      // keeps rules from leaking when the netns is gone and there is no prevResult (the reference leaks then).
      const chain = iptablesChainName(owner.network, owner.containerId);
      for (const family of FAMILIES) {
        if (!usableFamily(family)) continue;
        const mine = addresses?.filter((a) => a.family === family);
        if (mine?.length === 0) continue;
        const table = await listNatToRemove(family);
        await removeChain(family, table, chain, mine && new Set(mine.map((a) => a.ip)));
      }
    },

    async gc(network, valid) {
      const live = new Set(valid.map((a) => a.containerId)); // the iptables rules ignore ifname, as the reference's do
      for (const family of FAMILIES) {
        if (!usableFamily(family)) continue;
        const table = await listNatToRemove(family);
        const stale = new Set<string>();
        for (const rule of table.rules) {
          const owner = ruleOwner(rule);
          const chain = ruleChain(rule);
          // A chain is ours only if its comment names this network and its name is the hash of that comment's
          // (network, container): that rules out portmap's CNI-* chains and other networks' chains.
          if (owner?.network !== network || live.has(owner.containerId)) continue;
          if (chain === iptablesChainName(network, owner.containerId)) stale.add(chain);
        }
        for (const chain of stale) await removeChain(family, table, chain);
      }
    },

    async check(owner, addresses) {
      const chain = iptablesChainName(owner.network, owner.containerId);
      const comment = iptablesComment(owner.network, owner.containerId);
      const problems: string[] = [];
      for (const family of FAMILIES) {
        const mine = addresses.filter((a) => a.family === family);
        if (mine.length === 0) continue;
        const present = new Set((await listNat(family)).rules);
        const want = masqueradeRules(chain, comment, family, mine);
        for (const rule of [...want.accept, want.masquerade, ...want.jumps]) {
          if (!present.has(rule)) problems.push(`missing ${TOOLS[family].list} nat rule: ${rule}`);
        }
      }
      return problems;
    },
  };
}
