// ipMasq: which backend masquerades, and teardown/GC across both (a container may have been added by another
// version of the plugin, or with the other backend configured).
import { CniError, isCniError } from '@cni-ts/skel';
import type { IpNet } from '../ipnet.ts';
import type { CommandRunner } from './command.ts';
import { iptablesMasq } from './iptables-masq.ts';
import type { MasqBackend, MasqOwner } from './masq-owner.ts';
import { nftablesMasq } from './nftables-masq.ts';

export type MasqBackendName = MasqBackend['name'];

/** The configured backend; unset means iptables, unless iptables is missing and nft is installed. */
export function chooseMasqBackend(runner: CommandRunner, configured: MasqBackendName | undefined): MasqBackend {
  const ipt = iptablesMasq(runner);
  const nft = nftablesMasq(runner);
  if (configured === 'nftables') return nft;
  if (configured === 'iptables') return ipt;
  return !ipt.usable() && nft.usable() ? nft : ipt;
}

export async function setupIpMasq(
  runner: CommandRunner,
  backend: MasqBackendName | undefined,
  owner: MasqOwner,
  addresses: readonly IpNet[],
): Promise<void> {
  await chooseMasqBackend(runner, backend).setup(owner, addresses);
}

/** Both backends, each only when its tool is installed; errors of both are reported together. */
export async function teardownIpMasq(runner: CommandRunner, owner: MasqOwner, addresses: readonly IpNet[] | undefined): Promise<void> {
  await eachUsable(runner, (b) => b.teardown(owner, addresses), 'failed to remove masquerade rules');
}

export async function gcIpMasq(
  runner: CommandRunner,
  network: string,
  valid: readonly { containerId: string; ifName: string }[],
): Promise<void> {
  await eachUsable(runner, (b) => b.gc(network, valid), 'failed to garbage-collect masquerade rules');
}

export async function checkIpMasq(
  runner: CommandRunner,
  backend: MasqBackendName | undefined,
  owner: MasqOwner,
  addresses: readonly IpNet[],
): Promise<string[]> {
  return chooseMasqBackend(runner, backend).check(owner, addresses);
}

async function eachUsable(runner: CommandRunner, op: (b: MasqBackend) => Promise<void>, what: string): Promise<void> {
  const backends = [iptablesMasq(runner), nftablesMasq(runner)].filter((b) => b.usable());
  const outcomes = await Promise.allSettled(backends.map(op));
  const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  const [only] = errors;
  // A typed failure keeps its code (11 for a busy xtables lock: the runtime retries DEL/GC then).
  if (errors.length === 1 && isCniError(only)) throw new CniError(only.code, `${what}: ${only.msg}`, only.details, { cause: only });
  if (errors.length === 1) throw new Error(`${what}: ${(only as Error).message}`, { cause: only });
  if (errors.length > 1) throw new AggregateError(errors, `${what}: ${errors.map((e) => (e as Error).message).join('; ')}`);
}
