// macspoofchk: nftables rules in table `bridge nat` that let a container's port send only frames with the
// container's own source MAC. Names, priorities and comments are the reference's (pkg/link/spoofcheck.go),
// so its DEL removes our rules and ours removes its. We write JSON (`nft -j -f -`) because the chain names embed
// the container id and interface name, which nft's text syntax cannot always spell, and we do it in ONE
// transaction where the reference uses two (declaring the chains and flushing them can share a batch).
// The JSON goes in as nft's command-line argument: `nft -j -f -` opens /dev/stdin, which fails on the socket
// node gives a child as stdin.
import { type CommandRunner, listingToRemove, NetfilterCommandError, runChecked } from './command.ts';
import { isNftNotFound, type NftListing, type NftRule, parseNftListing } from './nft-json.ts';
import { spoofcheckComment, spoofcheckIfaceChain, spoofcheckId, spoofcheckMacChain } from './names.ts';

const FAMILY = 'bridge';
const TABLE = 'nat';
const BASE_CHAIN = 'PREROUTING';
const IFACE_PREFIX = 'cni-br-iface-';

export interface SpoofcheckTarget {
  containerId: string;
  ifName: string;
}

type Command = Record<string, Record<string, unknown>>;
const at = { family: FAMILY, table: TABLE };
const chain = (name: string) => ({ chain: { ...at, name } });
const rule = (chainName: string, comment: string, expr: unknown[]) => ({ rule: { ...at, chain: chainName, comment, expr } });
const jump = (target: string) => ({ jump: { target } });
const match = (left: unknown, right: unknown) => ({ match: { op: '==', left, right } });

// One argument may not exceed 128 KiB (MAX_ARG_STRLEN); GC splits bigger batches between attachments.
const MAX_BATCH_CHARS = 100_000;

async function transact(runner: CommandRunner, commands: Command[]): Promise<void> {
  if (commands.length > 0) await runChecked(runner, 'nft', ['-j', JSON.stringify({ nftables: commands })]);
}

async function listTable(runner: CommandRunner): Promise<NftListing> {
  const args = ['-j', 'list', 'table', FAMILY, TABLE];
  const result = await runner.run('nft', args);
  if (result.code === 0) return parseNftListing(result.stdout);
  if (isNftNotFound(result.stderr)) return { chains: [], rules: [] };
  throw new NetfilterCommandError('nft', args, result);
}
const listTableToRemove = (runner: CommandRunner) => listingToRemove(listTable(runner), { chains: [], rules: [] });

/** Installs the spoof check for one attachment (idempotent: its chains are flushed and refilled). */
export async function setupSpoofcheck(
  runner: CommandRunner,
  target: SpoofcheckTarget & { hostVeth: string; mac: string },
): Promise<void> {
  const id = spoofcheckId(target.containerId, target.ifName);
  const [iface, mac, comment] = [spoofcheckIfaceChain(id), spoofcheckMacChain(id), spoofcheckComment(id)];
  await transact(runner, [
    { add: { table: { family: FAMILY, name: TABLE } } },
    { add: { chain: { ...at, name: BASE_CHAIN, type: 'filter', hook: 'prerouting', prio: -300, policy: 'accept' } } },
    { add: chain(iface) },
    { add: chain(mac) },
    { flush: chain(iface) },
    { flush: chain(mac) },
    { add: rule(BASE_CHAIN, comment, [match({ meta: { key: 'iifname' } }, target.hostVeth), jump(iface)]) },
    { add: rule(iface, comment, [jump(mac)]) },
    { add: rule(mac, comment, [match({ payload: { protocol: 'ether', field: 'saddr' } }, target.mac), { return: null }]) },
    { add: rule(mac, comment, [{ drop: null }]) },
  ]);
}

/** The commands that remove one attachment's rules and chains, limited to what exists (so DEL can repeat). */
function teardownCommands(listing: NftListing, id: string): Command[] {
  const [iface, mac, comment] = [spoofcheckIfaceChain(id), spoofcheckMacChain(id), spoofcheckComment(id)];
  const exists = new Set(listing.chains.map((c) => c.name));
  // The reference finds the PREROUTING rule by its comment alone; so do we.
  const jumps = listing.rules.filter((r) => r.chain === BASE_CHAIN && r.comment === comment);
  const commands: Command[] = jumps.map((r) => ({ delete: { rule: { ...at, chain: BASE_CHAIN, handle: r.handle } } }));
  // A chain that is still jumped to, or still has rules, cannot be deleted: flush both first, then delete.
  for (const name of [iface, mac]) if (exists.has(name)) commands.push({ flush: chain(name) });
  for (const name of [iface, mac]) if (exists.has(name)) commands.push({ delete: chain(name) });
  return commands;
}

/** Removes one attachment's spoof check; nothing there is not an error. */
export async function teardownSpoofcheck(runner: CommandRunner, target: SpoofcheckTarget): Promise<void> {
  await transact(runner, teardownCommands(await listTableToRemove(runner), spoofcheckId(target.containerId, target.ifName)));
}

/**
 * GC: removes the spoof checks of attachments not in `valid`. Spoof-check names do not say which network they
 * belong to, so a chain is only treated as ours when its host port no longer exists or is a port of our bridge
 * (`isOurPort`); chains of ports on other bridges belong to other networks' GC.
 */
export async function gcSpoofcheck(
  runner: CommandRunner,
  valid: readonly SpoofcheckTarget[],
  isOurPort: (hostVeth: string) => Promise<boolean>,
): Promise<void> {
  const listing = await listTableToRemove(runner);
  const live = new Set(valid.map((a) => spoofcheckId(a.containerId, a.ifName)));
  const names = new Set(listing.chains.map((c) => c.name));
  const batches: Command[][] = [[]];
  for (const name of names) {
    // An iface chain is one whose `-mac` partner exists; its id is what follows the prefix.
    if (!name.startsWith(IFACE_PREFIX) || !names.has(`${name}-mac`)) continue;
    const id = name.slice(IFACE_PREFIX.length);
    if (live.has(id)) continue;
    const port = listing.rules.find((r) => r.chain === BASE_CHAIN && r.comment === spoofcheckComment(id));
    const hostVeth = port && iifname(port);
    if (hostVeth !== undefined && !(await isOurPort(hostVeth))) continue;
    const last = batches.at(-1) ?? [];
    if (JSON.stringify(last).length > MAX_BATCH_CHARS) batches.push([]);
    batches.at(-1)?.push(...teardownCommands(listing, id));
  }
  for (const batch of batches) await transact(runner, batch);
}

/** Problems with one attachment's spoof check ([] when it is in place and allows exactly `mac`). */
export async function checkSpoofcheck(
  runner: CommandRunner,
  target: SpoofcheckTarget & { hostVeth: string; mac: string },
): Promise<string[]> {
  const listing = await listTable(runner);
  const id = spoofcheckId(target.containerId, target.ifName);
  const comment = spoofcheckComment(id);
  const problems: string[] = [];
  const jump = listing.rules.find((r) => r.chain === BASE_CHAIN && r.comment === comment);
  if (!jump || iifname(jump) !== target.hostVeth) problems.push(`macspoofchk: no rule for port ${target.hostVeth} in bridge nat PREROUTING`);
  const allowed = listing.rules.filter((r) => r.chain === spoofcheckMacChain(id)).map(etherSaddr);
  if (!allowed.some((m) => m?.toLowerCase() === target.mac.toLowerCase())) problems.push(`macspoofchk: ${target.mac} is not the allowed source MAC`);
  return problems;
}

function operand(rule: NftRule, pick: (left: Record<string, { key?: string; field?: string }>) => boolean): string | undefined {
  for (const e of rule.expr ?? []) {
    const m = (e as { match?: { left?: Record<string, { key?: string; field?: string }>; right?: unknown } }).match;
    if (m?.left && pick(m.left) && typeof m.right === 'string') return m.right;
  }
  return undefined;
}
const iifname = (r: NftRule) => operand(r, (l) => l.meta?.key === 'iifname');
const etherSaddr = (r: NftRule) => operand(r, (l) => l.payload?.field === 'saddr');
