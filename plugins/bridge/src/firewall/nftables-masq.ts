// ipMasq with nftables, as the reference's nftables backend does it: one table `inet cni_plugins_masquerade`
// shared by every network, a `postrouting` base chain that skips multicast and jumps to `masq_checks`, and one
// rule per container address in `masq_checks`, found again through the hash at the start of its comment.
// Every change is a single `nft -f -` transaction.
import type { IpNet } from '../ipnet.ts';
import { type CommandRunner, listingToRemove, NetfilterCommandError, runChecked } from './command.ts';
import type { MasqBackend } from './masq-owner.ts';
import { nftInstanceHash, nftMasqComment, nftNetworkHash } from './names.ts';
import { isNftNotFound, type NftRule, parseNftListing } from './nft-json.ts';

export const MASQ_TABLE = 'cni_plugins_masquerade';
export const MASQ_CHAIN = 'masq_checks';
const T = `inet ${MASQ_TABLE}`;

// Comments copied from the reference so `nft list ruleset` reads the same whichever implementation made the table.
const TABLE_COMMENT = 'Masquerading for plugins from github.com/containernetworking/plugins';
const CHAIN_COMMENT = 'Masquerade traffic from certain IPs to any (non-multicast) IP outside their subnet';

/** The masquerade rule for one address, in nft syntax (the comment never contains a quote). */
export function masqRule(address: IpNet, comment: string): string {
  const ip = address.family === 4 ? 'ip' : 'ip6';
  return `add rule ${T} ${MASQ_CHAIN} ${ip} saddr == ${address.ip} ${ip} daddr != ${address.network} masquerade comment "${comment}"`;
}

export function nftablesMasq(runner: CommandRunner): MasqBackend {
  async function listMasqRules(): Promise<NftRule[]> {
    const result = await runner.run('nft', ['-j', 'list', 'chain', 'inet', MASQ_TABLE, MASQ_CHAIN]);
    if (result.code !== 0) {
      if (isNftNotFound(result.stderr)) return []; // no table yet: nothing of ours exists
      throw new NetfilterCommandError('nft', ['-j', 'list', 'chain', 'inet', MASQ_TABLE, MASQ_CHAIN], result);
    }
    return parseNftListing(result.stdout).rules.filter((r) => r.chain === MASQ_CHAIN);
  }
  const listMasqRulesToRemove = () => listingToRemove(listMasqRules(), []);
  const withPrefix = (rules: NftRule[], prefix: string) => rules.filter((r) => r.comment?.startsWith(prefix));
  const deleteRule = (r: NftRule) => `delete rule ${T} ${MASQ_CHAIN} handle ${r.handle}`;
  const transact = async (lines: string[]) => {
    if (lines.length > 0) await runChecked(runner, 'nft', ['-f', '-'], `${lines.join('\n')}\n`);
  };

  return {
    name: 'nftables',
    usable: () => runner.has('nft'),

    async setup(owner, addresses) {
      const stale = withPrefix(await listMasqRules(), nftInstanceHash(owner.network, owner.ifName, owner.containerId));
      const comment = nftMasqComment(owner.network, owner.ifName, owner.containerId);
      await transact([
        `add table ${T} { comment "${TABLE_COMMENT}" ; }`,
        `add chain ${T} ${MASQ_CHAIN} { comment "${CHAIN_COMMENT}" ; }`,
        // The base chain is flushed and refilled on every ADD, so its three rules are always exactly these.
        `add chain ${T} postrouting { type nat hook postrouting priority srcnat ; }`,
        `flush chain ${T} postrouting`,
        `add rule ${T} postrouting ip daddr == 224.0.0.0/4 return`,
        `add rule ${T} postrouting ip6 daddr == ff00::/8 return`,
        `add rule ${T} postrouting goto ${MASQ_CHAIN}`,
        ...stale.map(deleteRule),
        ...addresses.map((a) => masqRule(a, comment)),
      ]);
    },

    // nftables rules are found by comment, so the addresses are never needed.
    async teardown(owner) {
      const mine = withPrefix(await listMasqRulesToRemove(), nftInstanceHash(owner.network, owner.ifName, owner.containerId));
      await transact(mine.map(deleteRule));
    },

    async gc(network, valid) {
      const live = new Set(valid.map((a) => nftInstanceHash(network, a.ifName, a.containerId)));
      const ofNetwork = withPrefix(await listMasqRulesToRemove(), `${nftNetworkHash(network)}-`);
      // The instance hash is the comment up to the first comma.
      await transact(ofNetwork.filter((r) => !live.has(r.comment?.split(',')[0] ?? '')).map(deleteRule));
    },

    async check(owner, addresses) {
      const mine = withPrefix(await listMasqRules(), nftInstanceHash(owner.network, owner.ifName, owner.containerId));
      const sources = new Set(mine.map(ruleSaddr));
      return addresses
        .filter((a) => !sources.has(a.ip))
        .map((a) => `missing nftables masquerade rule for ${a.ip} in table inet ${MASQ_TABLE}`);
    },
  };
}

/** The `ip[6] saddr == X` operand of a masquerade rule. */
function ruleSaddr(rule: NftRule): string | undefined {
  for (const e of rule.expr ?? []) {
    const m = (e as { match?: { left?: { payload?: { field?: string } }; right?: unknown } }).match;
    if (m?.left?.payload?.field === 'saddr' && typeof m.right === 'string') return m.right;
  }
  return undefined;
}
